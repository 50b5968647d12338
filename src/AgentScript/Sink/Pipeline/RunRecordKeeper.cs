// Job: make sure a run's own record survives a full buffer — run records pass the bound, are held in memory when the
// disk refuses them, and a run's end record says how many of its writes were lost.
using AgentScript.Model;
using AgentScript.Sink.Durable;
using AgentScript.Storage;

namespace AgentScript.Sink.Pipeline;

/// <summary>
/// The write path's <see cref="IWriteLossPolicy"/>. Run start, final response and run end are essential: a handful
/// per run, small, and without them a run with lost events would look complete (or not exist at all). When the disk
/// refuses them they wait here (bounded) and the writer retries them — into the store when it is back, or the buffer
/// when space is back.
/// </summary>
internal sealed class RunRecordKeeper(RunCounters runs, SinkCounters counters) : IWriteLossPolicy
{
    /// <summary>Type of the error a run end carries when writes of the run were lost.</summary>
    public const string DroppedErrorType = "AgentScript.LogWritesDropped";

    private const string DroppedMarker = "log write(s) of this run were DROPPED";
    private const int MaxHeld = 10_000;

    private readonly Lock _lock = new();
    private List<StoreWrite> _held = [];

    public bool IsEssential(StoreWrite write) => write is RunStartWrite or RunEndWrite or FinalResponseWrite;

    public StoreWrite Prepare(StoreWrite write)
    {
        if (write is not RunEndWrite end || runs.DroppedFor(end.End.ExecutionId) is not (> 0 and var dropped))
        {
            return write;
        }
        var error = end.End.Error;
        if (error?.Type == DroppedErrorType || error?.Message.Contains(DroppedMarker, StringComparison.Ordinal) == true)
        {
            return write;
        }
        var note = DroppedNote(dropped);
        return new RunEndWrite(end.End with
        {
            Error = error is null ? new ExceptionInfo(DroppedErrorType, note) : error with { Message = $"{error.Message} [{note}]" },
        });
    }

    /// <summary>The sentence a run end carries (the count first, so the rest can be recognised).</summary>
    public static string DroppedNote(long dropped) =>
        $"{dropped} {DroppedMarker}: the durable buffer was full or could not be written (see agentlog doctor).";

    public void Dropped(StoreWrite write) => runs.CountDropped(write);

    public void Held(StoreWrite write)
    {
        lock (_lock)
        {
            if (_held.Count < MaxHeld)
            {
                _held.Add(write);
                return;
            }
        }
        counters.AddDropped(1);
        runs.CountDropped(write);
    }

    /// <summary>True when run records wait for a retry.</summary>
    public bool HasHeld
    {
        get
        {
            lock (_lock)
            {
                return _held.Count > 0;
            }
        }
    }

    /// <summary>Takes the held run records (in the order they were refused) for a retry.</summary>
    public List<StoreWrite> TakeHeld()
    {
        lock (_lock)
        {
            var taken = _held;
            _held = [];
            return taken;
        }
    }
}
