using System.Text.Json.Nodes;
using Shatter.Results;

namespace Shatter.Tests.Results;

public sealed class RunTableTests
{
    static RunEntry Entry(string hash, string epochsAxis, string? summary, params (string, object?)[] fields) => new(
        "s", "q", hash, 0, [new("epochs", epochsAxis)], [.. fields.Select(f => new KeyValuePair<string, object?>(f.Item1, f.Item2))],
        JsonNode.Parse("""{"seed": 1, "until_fit": true}""")!.AsObject(), summary is null ? null : JsonNode.Parse(summary)!.AsObject(), null);

    [Fact]
    public void Taken_names_get_their_group_prefix_and_each_column_the_narrowest_kind_of_its_values()
    {
        var table = RunTable.Build([
            Entry("a", "10", """{"epochs": 10, "steps_to_fit": 80, "final_test_accuracy": 1, "fitted": true, "note": "x"}""", ("status", "done"), ("seconds", 1.5)),
            Entry("b", "20", """{"epochs": 20, "steps_to_fit": null, "final_test_accuracy": 0.25, "fitted": false, "note": 3}""", ("status", "failed"), ("seconds", null)),
            Entry("c", "30", null, ("status", "queued"), ("seconds", 2L)),
        ]);
        var kinds = table.Columns.ToDictionary(c => c.Name, c => c.Kind);
        Assert.Equal(["spec", "scale", "hash", "order", "epochs", "status", "seconds", "summary_epochs", "steps_to_fit", "final_test_accuracy", "fitted", "note", "config_seed", "config_until_fit"],
            table.Columns.Select(c => c.Name));
        Assert.Equal(ColumnKind.Integer, kinds["epochs"]); // the axis: declared as the configuration field it is named after
        Assert.Equal(ColumnKind.Integer, kinds["summary_epochs"]);
        Assert.Equal(ColumnKind.Integer, kinds["steps_to_fit"]);
        Assert.Equal(ColumnKind.Real, kinds["final_test_accuracy"]); // 1 and 0.25
        Assert.Equal(ColumnKind.Real, kinds["seconds"]); // 1.5 and 2
        Assert.Equal(ColumnKind.Boolean, kinds["fitted"]);
        Assert.Equal(ColumnKind.Text, kinds["note"]); // "x" and 3
        var rows = table.Rows.ToList();
        int Col(string name) => table.Columns.ToList().FindIndex(c => c.Name == name);
        Assert.Equal([1.0, 0.25, null], rows.Select(r => r[Col("final_test_accuracy")]));
        Assert.Equal([80L, null, null], rows.Select(r => r[Col("steps_to_fit")]));
        Assert.Equal(["x", "3", null], rows.Select(r => r[Col("note")]));
        Assert.Equal([1.5, null, 2.0], rows.Select(r => r[Col("seconds")]));
    }
}
