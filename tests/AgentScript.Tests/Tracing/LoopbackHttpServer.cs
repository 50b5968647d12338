using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace AgentScript.Tests.Tracing;

/// <summary>A real HTTP server on 127.0.0.1 (HttpListener) answering with a handler; records every request body.</summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, byte[], CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackHttpServer(Func<HttpListenerContext, byte[], CancellationToken, Task> handler)
    {
        _handler = handler;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public ConcurrentQueue<(string Path, byte[] Body)> Requests { get; } = new();

    /// <summary>Cancelled when the server stops (handlers holding a request open wait on it).</summary>
    public CancellationToken Stopping => _stop.Token;

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                try
                {
                    using var body = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(body);
                    var bytes = body.ToArray();
                    Requests.Enqueue((context.Request.Url!.PathAndQuery, bytes));
                    await _handler(context, bytes, _stop.Token);
                    context.Response.Close();
                }
                catch (Exception)
                {
                    // The client went away (a timeout on its side): nothing to answer.
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _loop;
        _listener.Close();
        _stop.Dispose();
    }
}
