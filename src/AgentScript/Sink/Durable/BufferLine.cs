// Job: one serialised buffer line, either an array or a thread's reusable buffer on loan.
using System.Buffers;
using System.Text.Json;

namespace AgentScript.Sink.Durable;

/// <summary>
/// A buffer line (JSON and a newline). An event's line lives in its thread's reusable buffer
/// (<see cref="EventLineWriter.Rent"/>) and goes back to it on <see cref="Dispose"/>; other writes own an array.
/// </summary>
internal readonly struct BufferLine : IDisposable
{
    private readonly byte[]? _array;
    private readonly ArrayBufferWriter<byte>? _buffer;
    private readonly Utf8JsonWriter? _writer;

    public BufferLine(byte[] array) => _array = array;

    public BufferLine(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        _buffer = buffer;
        _writer = writer;
    }

    /// <summary>The bytes; valid until disposed.</summary>
    public ReadOnlySpan<byte> Span => _buffer is not null ? _buffer.WrittenSpan : _array;

    public void Dispose()
    {
        if (_buffer is not null)
        {
            EventLineWriter.Return(_buffer, _writer!);
        }
    }
}
