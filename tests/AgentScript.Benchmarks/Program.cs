// Benchmarks are being built (issue 9).
return 0;
