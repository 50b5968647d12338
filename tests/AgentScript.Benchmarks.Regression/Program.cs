using System.Text.Json;
using AgentScript.Benchmarks.Regression;

// One measurement per process (its peak working set is its own), printed as one JSON line after "RESULT ".
// The store and buffer come from the environment the parent sets (AGENTSCRIPT_STORE, LOG_BUFFER_DIR,
// LOG_MAX_BUFFER_SIZE_MB), as a script's do.
//   tight  <calls>                 one three-property call in a tight loop (the log-call benchmark's), then drained
//   ingest <events> <pool file>    the ingest benchmark's realistic calls, drained, verified, then searched
//   startup                        the time from the process's start until one event is committed
if (args is ["startup"])
{
    Console.WriteLine("RESULT " + JsonSerializer.Serialize(Measurements.StartUp()));
    return 0;
}
if (args.Length < 2 || (args[0] != "tight" && args[0] != "ingest") || (args[0] == "ingest" && args.Length < 3))
{
    Console.Error.WriteLine("usage: tight <calls> | ingest <events> <pool file> | startup");
    return 2;
}
var count = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var result = args[0] == "tight" ? Measurements.TightLoop(count) : await Measurements.IngestAsync(count, args[2]);
Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
return 0;
