// Test seam: a buffer file system whose disk can be made "full" — writes that need new space fail with ENOSPC.
using AgentScript.Sink.Durable;

namespace AgentScript.Tests.Reliability;

/// <summary>
/// Real files, with one twist: while <see cref="Full"/> is set, a write that would grow a file throws
/// <see cref="IOException"/> with the ENOSPC code (as the kernel answers on a full disk); writes inside a file's
/// existing length succeed (its blocks are allocated already). Always available: no root, no mount.
/// </summary>
internal sealed class FullDisk : BufferFileSystem
{
    /// <summary>ENOSPC on Linux; ERROR_DISK_FULL on Windows.</summary>
    public static int NoSpaceCode => OperatingSystem.IsWindows() ? unchecked((int)0x80070070) : 28;

    public volatile bool Full;
    private int _refused;

    /// <summary>Writes refused so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public override Stream Open(string path, FileStreamOptions options)
    {
        if (Full && options.Mode is FileMode.CreateNew or FileMode.Create)
        {
            // Creating a file needs a directory entry and an inode: refuse like the kernel would once space is gone.
            Interlocked.Increment(ref _refused);
            throw NoSpace();
        }
        return new Guarded(new FileStream(path, options), this);
    }

    private static IOException NoSpace() => new("No space left on device", NoSpaceCode);

    private sealed class Guarded(FileStream inner, FullDisk disk) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value)
        {
            Check(Math.Max(0, value - inner.Length));
            inner.SetLength(value);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Check(inner.Position + buffer.Length - inner.Length);
            inner.Write(buffer);
        }

        public override void WriteByte(byte value) => Write([value]);

        private void Check(long growth)
        {
            if (disk.Full && growth > 0)
            {
                Interlocked.Increment(ref disk._refused);
                throw NoSpace();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
