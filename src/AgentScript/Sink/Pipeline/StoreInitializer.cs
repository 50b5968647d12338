// Job: initialise the store once (idempotent schema), however many callers ask at the same time.
using AgentScript.Storage;

namespace AgentScript.Sink.Pipeline;

/// <summary>
/// The host, the writer and queries may all ask at once; the store sees one call at a time, and a failure is reported
/// as <see cref="StoreUnavailableException"/> (the pipeline then buffers and retries later).
/// </summary>
internal sealed class StoreInitializer(IAgentLogStore store, Action<string> noteFailure)
{
    // Never disposed: queries may still ask after the pipeline is disposed, and it holds no wait handle.
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _initialized;

    /// <summary>Initialises the store if not done yet.</summary>
    /// <exception cref="StoreUnavailableException">The store cannot be used now.</exception>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _initialized))
        {
            return;
        }
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _initialized, true);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            noteFailure(e.Message);
            throw e as StoreUnavailableException ?? new StoreUnavailableException(e.Message, e);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>True when the store is initialised (now or before).</summary>
    public async Task<bool> TryEnsureAsync()
    {
        try
        {
            await EnsureAsync(CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (StoreUnavailableException)
        {
            return false;
        }
    }

    /// <summary>Null when the store is usable, else the reason it is not.</summary>
    public async Task<string?> InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (StoreUnavailableException e)
        {
            return e.Message;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var reason = $"the store at {store.Location} did not answer in time";
            noteFailure(reason);
            return reason;
        }
    }
}
