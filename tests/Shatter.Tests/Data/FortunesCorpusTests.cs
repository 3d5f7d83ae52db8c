using System.Text.Json;
using Shatter.Data;
using Xunit.Abstractions;

namespace Shatter.Tests.Data;

public sealed class FortunesCorpusTests(ITestOutputHelper output)
{
    static void RequireFortunes()
    {
        if (!Directory.Exists(FortunesCorpus.SystemFolder))
            Assert.Fail($"{FortunesCorpus.SystemFolder} is missing; install Debian's fortunes package ('apt-get install fortunes'; scripts/setup.sh does).");
    }

    [Fact]
    public void A_fortune_folder_is_read_without_overstrikes_indexes_links_shared_texts_and_small_categories()
    {
        using var t = new TempFolder();
        string Entries(string prefix, int n) => string.Join("%\n", Enumerable.Range(0, n).Select(i => $"{prefix} saying {i}\nsecond line\n")) + "%\n";
        File.WriteAllText(t["science"], "_\bB_\bo_\bl_\bd science\n%\n" + Entries("science", 120) + "shared   text\n%\nscience saying 3\nsecond line\n%\n");
        File.WriteAllText(t["work"], Entries("work", 101) + "shared text\n");
        File.WriteAllText(t["tiny"], Entries("tiny", 99));
        File.WriteAllText(t["science.dat"], "binary index");
        File.CreateSymbolicLink(t["science.u8"], t["science"]);
        Directory.CreateDirectory(t["off"]);
        File.WriteAllText(t["off/rude"], Entries("rude", 200));
        var (texts, classes) = FortunesCorpus.Read(FortunesCorpus.Folder(t.Path));
        Assert.Equal(["science", "work"], classes);
        Assert.Equal(121 + 101, texts.Count);                    // the shared text is gone from both, the repeat kept once
        Assert.Equal("Bold science", texts.Texts[0]);
        Assert.Equal("science saying 0\nsecond line", texts.Texts[1]);
        Assert.DoesNotContain(texts.Texts, x => x.Contains("shared"));
        Assert.Equal(121, texts.Labels.Count(l => l == 0));
    }

    [Fact]
    public void A_folder_without_fortune_files_ends_in_one_sentence()
    {
        using var t = new TempFolder();
        var e = Assert.Throws<ShatterException>(() => FortunesCorpus.Load(new TextOptions(), t.Path));
        Assert.Contains("apt-get install fortunes", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>The numbers docs/user-data.md gives for Debian 12's fortunes 1:1.99.1-7.3.</summary>
    [Fact]
    public void The_installed_corpus_has_the_documented_classes_sizes_and_split()
    {
        RequireFortunes();
        var (all, classes) = FortunesCorpus.Read(FortunesCorpus.SystemFolder);
        output.WriteLine($"{all.Count} texts, {classes.Count} classes: {string.Join(", ", classes.Select((c, i) => $"{c} {all.Labels.Count(l => l == i)}"))}");
        using var ds = FortunesCorpus.Load(new TextOptions());
        var lengths = ds.Train.Lengths.data<long>().ToArray();
        output.WriteLine($"train {ds.Train.Count}, test {ds.Test.Count}, vocabulary {ds.Vocabulary.Size}, truncated at 64: {lengths.Count(l => l == 64)}");
        using var fullLength = FortunesCorpus.Load(new TextOptions(MaxTokens: 4096));
        var full = fullLength.Train.Lengths.data<long>().ToArray().Order().ToArray();
        output.WriteLine($"tokens per text: median {full[full.Length / 2]}, 90th percentile {full[full.Length * 9 / 10]}, max {full[^1]}");
        Assert.Equal(14_469, all.Count);
        Assert.Equal(32, classes.Count);
        Assert.Equal(["art", "computers", "cookie"], classes.Take(3));
        Assert.DoesNotContain("pratchett", classes);                            // 2 texts: under the minimum
        Assert.Equal((11_573, 2_896), (ds.Train.Count, ds.Test.Count));
        Assert.Equal(25_084, ds.Vocabulary.Size);
        Assert.Equal(1_234, all.Labels.Count(l => classes[l] == "people"));
    }

    /// <summary>
    /// True-label baselines on the default split (test fraction 0.2, seed 0): the majority class, and multinomial naive
    /// Bayes (add-one smoothing) over the 64 GPT-2 tokens a model sees.
    /// </summary>
    [Fact]
    public void True_label_baselines_on_the_default_split_beat_the_majority_class()
    {
        RequireFortunes();
        using var ds = FortunesCorpus.Load(new TextOptions());
        double majority = MajorityAccuracy(ds, out var name);
        double bayes = NaiveBayesAccuracy(ds);
        output.WriteLine($"majority class '{name}': {majority:F4}; naive Bayes on 64 GPT-2 tokens: {bayes:F4}");
        Assert.Equal(0.0853, majority, 0.0001);
        Assert.InRange(bayes, 2.5 * majority, 1);
    }

    /// <summary>
    /// An independent baseline on the same split: scikit-learn's MultinomialNB over word counts of the whole texts
    /// (Debian's python3-sklearn), run on the texts this loader splits.
    /// </summary>
    [Fact]
    public void Scikit_learns_naive_bayes_on_the_same_split_beats_the_majority_class()
    {
        RequireFortunes();
        Python.Require("sklearn", "python3-sklearn");
        using var ds = FortunesCorpus.Load(new TextOptions());
        double majority = MajorityAccuracy(ds, out _);
        using var t = new TempFolder();
        var (all, classes) = FortunesCorpus.Read(FortunesCorpus.SystemFolder);
        var (train, test) = all.Split(classes.Count, SeededSplit.DefaultTestFraction, 0);
        Assert.Equal(ds.Test.Labels.data<long>().ToArray(), test.Labels.Select(l => (long)l));   // the same split as the loader's
        File.WriteAllText(t["split.json"], JsonSerializer.Serialize(new { train_x = train.Texts, train_y = train.Labels, test_x = test.Texts, test_y = test.Labels }));
        var sklearn = double.Parse(Python.Run(t.Path, """
            import json
            from sklearn.feature_extraction.text import CountVectorizer
            from sklearn.naive_bayes import MultinomialNB
            d = json.load(open("split.json"))
            v = CountVectorizer()
            model = MultinomialNB().fit(v.fit_transform(d["train_x"]), d["train_y"])
            print(model.score(v.transform(d["test_x"]), d["test_y"]))
            """).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"scikit-learn MultinomialNB on word counts: {sklearn:F4} (majority {majority:F4})");
        Assert.InRange(sklearn, 2.5 * majority, 1);
    }

    static double MajorityAccuracy(TextDataset ds, out string name)
    {
        var trainLabels = ds.Train.Labels.data<long>().ToArray();
        var testLabels = ds.Test.Labels.data<long>().ToArray();
        long majority = Enumerable.Range(0, ds.Classes).MaxBy(c => trainLabels.Count(l => l == c));
        name = ds.ClassNames[(int)majority];
        return testLabels.Count(l => l == majority) / (double)testLabels.Length;
    }

    /// <summary>Test accuracy of multinomial naive Bayes with add-one smoothing over the non-padding token ids.</summary>
    static double NaiveBayesAccuracy(TextDataset ds)
    {
        int v = ds.Vocabulary.Size, c = ds.Classes;
        var counts = new double[c, v];
        var totals = new double[c];
        var docs = new double[c];
        var tokens = ds.Train.Tokens.data<long>().ToArray();
        var labels = ds.Train.Labels.data<long>().ToArray();
        int T = ds.MaxTokens;
        for (int i = 0; i < labels.Length; i++)
        {
            docs[labels[i]]++;
            for (int k = 0; k < T && tokens[i * T + k] != TextVocabulary.PadId; k++) { counts[labels[i], tokens[i * T + k]]++; totals[labels[i]]++; }
        }
        var testTokens = ds.Test.Tokens.data<long>().ToArray();
        var testLabels = ds.Test.Labels.data<long>().ToArray();
        int right = 0;
        for (int i = 0; i < testLabels.Length; i++)
        {
            int best = 0;
            double bestScore = double.NegativeInfinity;
            for (int k = 0; k < c; k++)
            {
                double score = Math.Log(docs[k] / labels.Length);
                for (int j = 0; j < T && testTokens[i * T + j] != TextVocabulary.PadId; j++)
                    if (testTokens[i * T + j] != TextVocabulary.UnknownId) score += Math.Log((counts[k, testTokens[i * T + j]] + 1) / (totals[k] + v));
                if (score > bestScore) (best, bestScore) = (k, score);
            }
            if (best == testLabels[i]) right++;
        }
        return right / (double)testLabels.Length;
    }
}
