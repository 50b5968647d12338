// Job: typed agent events (action, decision, state change, reward) on the AgentLog facade.
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Sink;
using Serilog;
using Serilog.Events;

namespace AgentScript;

public static partial class AgentLog
{
    private static readonly ValueLimits PreviewLimits = new() { MaxStringLength = 200 };

    /// <summary>
    /// Records an action the agent took, with its parameters and outcome, as an <c>AGENT_ACTION</c> event (INFO, or
    /// WARNING when it did not succeed). Parameters and outcome are stored as structured JSON (payload), sanitised and
    /// redacted like every logged value, and are searchable.
    /// </summary>
    /// <param name="action">What was done (e.g. <c>create_content</c>).</param>
    /// <param name="parameters">The action's inputs (any object; serialised safely).</param>
    /// <param name="outcome">What came of it.</param>
    /// <param name="succeeded">False for an action that failed (logged at WARNING).</param>
    public static void LogAction(string action, object? parameters = null, object? outcome = null, bool succeeded = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        WriteAgentEvent(LogCategories.AgentAction, succeeded ? LogEventLevel.Information : LogEventLevel.Warning,
            new { type = "action", action, parameters, outcome, succeeded },
            "Action {Action} " + (succeeded ? "succeeded" : "failed") + ": {Outcome}", action, Preview(outcome));
    }

    /// <summary>
    /// Records a decision as an <c>AGENT_DECISION</c> event: what was decided, the option chosen, the options considered
    /// and the reasoning.
    /// </summary>
    /// <param name="decision">What was being decided (e.g. <c>content_timing</c>).</param>
    /// <param name="chosen">The option taken.</param>
    /// <param name="options">The options considered (include the chosen one).</param>
    /// <param name="reasoning">Why this option.</param>
    /// <param name="confidence">Optional confidence 0–1.</param>
    public static void LogDecision(string decision, string chosen, IEnumerable<string>? options = null, string? reasoning = null, double? confidence = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(decision);
        ArgumentException.ThrowIfNullOrWhiteSpace(chosen);
        var list = options?.ToArray() ?? [];
        WriteAgentEvent(LogCategories.AgentDecision, LogEventLevel.Information,
            new { type = "decision", decision, chosen, options = list, reasoning, confidence },
            "Decision {Decision}: chose {Chosen} of {OptionCount} options because {Reasoning}", decision, chosen, list.Length, reasoning ?? "(no reason given)");
    }

    /// <summary>Records a state change from/to as an <c>AGENT_STATE_CHANGE</c> event.</summary>
    /// <param name="subject">Whose state changed (e.g. <c>agent</c>, <c>crawler.queue</c>).</param>
    /// <param name="from">The state before (any object).</param>
    /// <param name="to">The state after.</param>
    /// <param name="trigger">What caused the change.</param>
    public static void LogStateChange(string subject, object? from, object? to, string? trigger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        WriteAgentEvent(LogCategories.AgentStateChange, LogEventLevel.Information,
            new { type = "state_change", subject, from, to, trigger },
            "State of {Subject} changed from {From} to {To} ({Trigger})", subject, Preview(from), Preview(to), trigger ?? "no trigger given");
    }

    /// <summary>Records a reward with its cumulative value as an <c>AGENT_REWARD</c> event.</summary>
    /// <param name="reward">This step's reward.</param>
    /// <param name="cumulative">The running total including <paramref name="reward"/>.</param>
    /// <param name="actionId">The action rewarded, if any.</param>
    /// <param name="reason">Why (e.g. <c>user clicked</c>).</param>
    public static void LogReward(double reward, double cumulative, string? actionId = null, string? reason = null)
    {
        if (!double.IsFinite(reward) || !double.IsFinite(cumulative))
        {
            throw new ArgumentException("A reward and its cumulative value must be finite numbers.", nameof(reward));
        }
        WriteAgentEvent(LogCategories.AgentReward, LogEventLevel.Information,
            new { type = "reward", reward, cumulative_reward = cumulative, action_id = actionId, reason },
            "Reward {Reward} (cumulative {CumulativeReward}) for {ActionId}", reward, cumulative, actionId ?? reason ?? "the run");
    }

    private static void WriteAgentEvent(string category, LogEventLevel level, object payload, string template, params object?[] values)
    {
        var runtime = AgentRuntime.Resolve();
        var pipeline = runtime.Pipeline;
        var logger = AgentRun.Current?.Logger ?? runtime.Logger;
        logger.ForContext(LogProperties.Category, category)
            .ForContext(LogEventMapper.PayloadProperty, ValueSanitizer.ToJson(payload, pipeline.Options.PayloadLimits))
            .Write(level, template, values);
    }

    private static string Preview(object? value) => value switch
    {
        null => "null",
        string s => ValueSanitizer.TruncateString(s, PreviewLimits),
        _ => ValueSanitizer.TruncateString(ValueSanitizer.ToJson(value), PreviewLimits),
    };
}
