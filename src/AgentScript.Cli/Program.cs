// The agentlog tool is being built (issue 5).
return 0;
