namespace Shatter.Experiments;

/// <summary>One point of a grid axis: its label (the value, or a map's <c>name</c>) and the options it sets.</summary>
public sealed record GridValue(string Label, IReadOnlyList<SpecSetting> Settings, int Line);
