using ScottPlot;

namespace Shatter.Reporting;

/// <summary>One series as the chart's legend shows it: its label, colour (hex), marker, and line: "solid", "dashed" or "dotted" (references).</summary>
public sealed record ChartSeries(string Label, string Color, MarkerShape Marker, string Pattern);
