using Shatter.Data;

namespace Shatter.Tests.Data;

public sealed class TextDatasetTests
{
    [Fact]
    public void Gpt2_tokenizes_with_its_packaged_vocabulary_and_truncates()
    {
        // GPT-2's ids for "Hello world" (the tokenizer's best-known example) and " the" (262)
        Assert.Equal([15496, 995], Gpt2Tokens.Encode("Hello world", 64));
        Assert.Equal([15496], Gpt2Tokens.Encode("Hello world", 1));
        Assert.Equal(262, Gpt2Tokens.Encode(" the", 8).Single());
        Assert.Equal("Hello world", Gpt2Tokens.Decode([15496, 995]));
    }

    [Fact]
    public void Texts_become_right_padded_compact_ids_with_lengths_and_unknown_test_tokens()
    {
        var train = new LabelledTexts(["Hello world", "world Hello world world world world world world world"], [0, 1]);
        var test = new LabelledTexts(["Hello zebra"], [1]);
        using var ds = TextEncoding.Build("t", "t", ["a", "b"], train, test, new TextOptions(MaxTokens: 4));
        // training tokens: Hello 15496, " world" 995, "world" 6894, " Hello" 18435: compact ids 2.. in GPT-2 order
        var world = Gpt2Tokens.Encode("world", 4).Single();
        Assert.Equal(4 + 2, ds.Vocabulary.Size);
        Assert.Equal([2L, 4], ds.Train.Tokens.shape);
        Assert.Equal([2L, 4], ds.Train.Lengths.data<long>().ToArray());
        var rows = ds.Train.Tokens.data<long>().ToArray();
        Assert.Equal([ds.Vocabulary.ToModel(15496), ds.Vocabulary.ToModel(995), 0, 0], rows[..4]);
        Assert.Equal(ds.Vocabulary.ToModel(world), rows[4]);                     // truncated to 4 tokens, no padding
        Assert.DoesNotContain(0L, rows[4..]);
        var ids = new[] { 995, 6894, 15496, 18435 }.Select(ds.Vocabulary.ToModel).ToArray();
        Assert.Equal([2L, 3, 4, 5], ids);
        // " zebra" never occurs in training: the unknown id
        var testRow = ds.Test.Tokens.data<long>().ToArray();
        Assert.Equal(ds.Vocabulary.ToModel(15496), testRow[0]);
        Assert.All(testRow[1..(int)ds.Test.Lengths[0].item<long>()], id => Assert.Equal(TextVocabulary.UnknownId, id));
        Assert.Equal("Hello world", ds.Decode(ds.Train, 0));
        using var mask = ds.Train.Mask();
        Assert.Equal([true, true, false, false, true, true, true, true], mask.data<bool>().ToArray());
    }

    [Fact]
    public void The_full_vocabulary_shifts_gpt2_ids_by_one_for_padding()
    {
        using var ds = TextEncoding.Build("t", "t", ["a", "b"], new LabelledTexts(["Hello world", "x"], [0, 1]), new LabelledTexts(["zebra"], [0]), new TextOptions(CompactVocabulary: false));
        Assert.Equal(50_258, ds.Vocabulary.Size);
        Assert.Equal([15497L, 996], ds.Train.Tokens[0, ..2].data<long>().ToArray());
        Assert.DoesNotContain(TextVocabulary.UnknownId, ds.Test.Tokens[0, ..(int)ds.Test.Lengths[0].item<long>()].data<long>().ToArray());
    }

    const string Table = "id,review,stars\n" +
        "1,\"Great, really great\",good\n" +
        "2,\"He said \"\"meh\"\"\",bad\n" +
        "3,\"two\nlines\",good\n" +
        "4,fine,good\n" +
        "5,awful,bad\n" +
        "6,poor,bad\n" +
        "7,superb,good\n" +
        "8,dreadful,bad\n" +
        "9,\"nice\",good\n" +
        "10,\"bad, bad\",bad\n";

    [Fact]
    public void A_csv_text_table_reads_quoted_cells_and_sorts_its_label_values_into_classes()
    {
        using var t = new TempFolder();
        File.WriteAllText(t["reviews.csv"], Table);
        var (texts, classes) = TextTable.Read(t["reviews.csv"], "review", "stars");
        Assert.Equal(["bad", "good"], classes);
        Assert.Equal(10, texts.Count);
        Assert.Equal("Great, really great", texts.Texts[0]);
        Assert.Equal("He said \"meh\"", texts.Texts[1]);
        Assert.Equal("two\nlines", texts.Texts[2]);
        Assert.Equal([1, 0, 1, 1, 0, 0, 1, 0, 1, 0], texts.Labels);
        using var ds = TextSources.Load("csv:" + t["reviews.csv"], new TextOptions(MaxTokens: 8, TestFraction: 0.2, TextColumn: "review", LabelColumn: "stars"));
        Assert.Equal([4L, 4], ds.Train.ClassCounts(2));
        Assert.Equal([1L, 1], ds.Test.ClassCounts(2));
        Assert.Equal(8, ds.MaxTokens);
    }

    [Fact]
    public void Csv_is_a_text_table_with_a_text_column_and_a_regression_table_without()
    {
        Assert.True(TextSources.IsText("csv:x.csv", new TextOptions(TextColumn: "review")));
        Assert.False(TextSources.IsText("csv:x.csv", new TextOptions()));
        Assert.True(TabularDataset.IsTabular("csv:x.csv"));
        Assert.True(TextSources.IsText("fortunes", new TextOptions()));
        Assert.False(TextSources.IsText("cifar10", new TextOptions()));
    }

    [Fact]
    public void A_folder_of_txt_files_is_a_text_dataset_and_a_folder_of_images_is_not()
    {
        using var t = new TempFolder();
        foreach (var (split, n) in new[] { ("train", 3), ("test", 1) })
            foreach (var c in new[] { "neg", "pos" })
                for (int i = 0; i < n; i++)
                {
                    Directory.CreateDirectory(t[$"text/{split}/{c}"]);
                    File.WriteAllText(t[$"text/{split}/{c}/{i}.txt"], $"{c} example {i} of {split}");
                }
        ImageFiles.Write(t["images/a/0.png"], 0, 1, 2, 2);
        ImageFiles.Write(t["images/b/0.png"], 1, 1, 2, 2);
        Assert.True(TextSources.IsText("folder:" + t["text"], new TextOptions()));
        Assert.False(TextSources.IsText("folder:" + t["images"], new TextOptions()));
        using var ds = TextSources.Load("folder:" + t["text"], new TextOptions(MaxTokens: 16));
        Assert.Equal(["neg", "pos"], ds.ClassNames);
        Assert.Equal([0L, 0, 0, 1, 1, 1], ds.Train.Labels.data<long>().ToArray());
        // " test" never occurs in a training text: it is the unknown id, which decodes to nothing
        Assert.Equal("pos example 0 of", ds.Decode(ds.Test, 1));
    }

    public static TheoryData<string> BadTexts() => new(BadText.Keys);

    static readonly Dictionary<string, Func<TempFolder, (Func<TextDataset> Load, string Names, string Problem)>> BadText = new()
    {
        ["missing column"] = t => (Csv(t, Table, "text", "stars"), "no column 'text'", "its columns are id, review, stars"),
        ["missing label option"] = t => (Csv(t, Table, "review", null), "--text review", "needs --label COLUMN"),
        // line 13: the header, ten rows, one of them two lines long
        ["empty text cell"] = t => (Csv(t, Table + "11,,good\n", "review", "stars"), "line 13", "empty review cell"),
        ["stray quote"] = t => (Csv(t, Table + "11,\"oops,good\n", "review", "stars"), "line", "not valid CSV"),
        ["one label value"] = t => (Csv(t, "review,stars\na,good\nb,good\n", "review", "stars"), "stars column", "1 distinct value"),
        ["missing table"] = t => (() => TextTable.Load(t["none.csv"], new TextOptions(TextColumn: "a", LabelColumn: "b")), t["none.csv"], "does not exist"),
        ["max tokens zero"] = t => (Csv(t, Table, "review", "stars", maxTokens: 0), "--max-tokens", "from 1 to"),
        ["empty text file"] = t =>
        {
            foreach (var c in new[] { "a", "b" }) { Directory.CreateDirectory(t[$"f/{c}"]); File.WriteAllText(t[$"f/{c}/1.txt"], "some text"); }
            File.WriteAllText(t["f/b/2.txt"], "  \n");
            return (() => TextFolder.Load(t["f"], new TextOptions()), t["f/b/2.txt"], "is empty");
        },
        ["empty text class"] = t =>
        {
            foreach (var c in new[] { "a", "b" }) { Directory.CreateDirectory(t[$"f/{c}"]); File.WriteAllText(t[$"f/{c}/1.txt"], "some text"); }
            Directory.CreateDirectory(t["f/c"]);
            return (() => TextFolder.Load(t["f"], new TextOptions()), t["f/c"], "holds no text files");
        },
        ["missing text folder"] = t => (() => TextFolder.Load(t["nowhere"], new TextOptions()), t["nowhere"], "does not exist"),
    };

    static Func<TextDataset> Csv(TempFolder t, string content, string text, string? label, int maxTokens = 8)
    {
        File.WriteAllText(t["table.csv"], content);
        return () => TextTable.Load(t["table.csv"], new TextOptions(MaxTokens: maxTokens, TextColumn: text, LabelColumn: label));
    }

    [Theory]
    [MemberData(nameof(BadTexts))]
    public void Each_bad_text_source_ends_in_one_sentence_naming_the_thing_and_the_fix(string name)
    {
        using var t = new TempFolder();
        var (load, names, problem) = BadText[name](t);
        var e = Assert.Throws<ShatterException>(() => load().Dispose());
        Assert.True(e.Message.Contains(names) && e.Message.Contains(problem), e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.EndsWith(".", e.Message);
    }
}
