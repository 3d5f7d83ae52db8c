using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>Table 1 of the paper (spec table1): regularizers, augmentation and random labels, beside the paper's numbers.</summary>
public sealed class Table1Section : IReportSection
{
    public string? Experiment => "table1";
    public string Title => "Table 1: explicit regularization, augmentation and random labels";

    public bool Applies(ReportContext context) => context.RunsOf("table1").Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        w.Heading(2, Title);
        var runs = context.RunsOf("table1");
        var table = new CsvTable("model", "setting", "crop", "weight_decay", "random_labels", "seeds", "fitted", "train_accuracy", "test_accuracy",
            "train_min", "train_max", "test_min", "test_max", "paper_train_accuracy", "paper_test_accuracy");
        foreach (var row in Table1Analysis.Rows(runs))
        {
            var c = row.Runs[0].Config;
            var (train, test) = (row.Train, row.Test);
            table.Add(row.Model, row.Setting, row.Crop, row.WeightDecay ? c.WeightDecay : 0.0, row.RandomLabels, row.Runs.Count,
                $"{row.Runs.Count(r => r.Fitted)} of {row.Runs.Count}", train.Mean * 100, test.Mean * 100,
                train.Min * 100, train.Max * 100, test.Min * 100, test.Max * 100, row.Paper?.Train, row.Paper?.Test);
        }
        w.Paragraph("Final training and test accuracy (%) of each setting, beside the paper's CIFAR-10 numbers (the paper has no row for some settings, e.g. MLPs with crops). Train accuracy is measured on the unaugmented training set; 'fitted' counts the seeds that reached the fit target before the epoch cap.");
        w.Table(table, "table1", null);
        return Table1Analysis.Findings(runs);
    }
}
