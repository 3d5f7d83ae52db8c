using Shatter.Tests.Data;

namespace Shatter.Tests.Cli;

/// <summary><c>folder:PATH</c> and <c>npz:PATH</c> from the command line: data info, and each bad input as one sentence and exit code 2.</summary>
public sealed class UserDataCommandTests
{
    [Fact]
    public void Data_info_reads_an_image_folder_and_an_npz_archive()
    {
        using var folder = new TempFolder();
        var tree = CliRunner.Run("data", "info", "folder:" + UserTrees.ImageTree(folder["Images"]), "--image-size", "6");
        Assert.True(tree.ExitCode == 0, tree.Error);
        Assert.Contains("24 training and 6 test images of 3×6×6, 3 classes", tree.Output);
        Assert.Contains("decoded 30 images", tree.Output);
        Assert.Contains("bee", tree.Output);
        var npz = CliRunner.Run("data", "info", "npz:" + UserTrees.Npz(folder["Data.npz"]));
        Assert.True(npz.ExitCode == 0, npz.Error);
        Assert.Contains("30 training and 12 test images of 1×8×8, 3 classes", npz.Output);
    }

    /// <summary>Each bad input: how to make it in a folder, the dataset name, and words of its sentence.</summary>
    static readonly Dictionary<string, (Func<TempFolder, string> Make, string Problem)> Bad = new()
    {
        ["missing folder"] = (t => "folder:" + t["nowhere"], "does not exist"),
        ["empty class"] = (t =>
        {
            UserTrees.ImageTree(t["images"]);
            Directory.CreateDirectory(t["images/dog"]);
            return "folder:" + t["images"];
        }, "holds no images"),
        ["unreadable image"] = (t =>
        {
            UserTrees.ImageTree(t["images"]);
            File.WriteAllText(t["images/cow/00.png"], "not a png");
            return "folder:" + t["images"];
        }, "cow/00.png cannot be decoded"),
        ["images of two sizes"] = (t =>
        {
            UserTrees.ImageTree(t["images"]);
            ImageFiles.Write(t["images/cow/99.png"], 1, 3, 5, 5);
            return "folder:" + t["images"];
        }, "give an image size (--image-size N)"),
        ["wrong array shape"] = (t =>
        {
            NpyFiles.Npz(t["data.npz"], new Dictionary<string, byte[]>
            {
                ["x_train"] = NpyFiles.Npy("|u1", [4, 5], new byte[20]),
                ["y_train"] = NpyFiles.Npy("<i8", [4], NpyFiles.Longs([0, 1, 0, 1])),
                ["x_test"] = NpyFiles.Npy("|u1", [2, 5], new byte[10]),
                ["y_test"] = NpyFiles.Npy("<i8", [2], NpyFiles.Longs([0, 1])),
            });
            return "npz:" + t["data.npz"];
        }, "x_train"),
        ["missing array"] = (t =>
        {
            NpyFiles.Npz(t["data.npz"], new Dictionary<string, byte[]> { ["x_train"] = NpyFiles.Npy("|u1", [4, 2, 2], new byte[16]) });
            return "npz:" + t["data.npz"];
        }, "has no array y_train"),
    };

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var name in Bad.Keys)
            foreach (var command in new[] { "train", "data info" }) cases.Add(name, command);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_bad_input_exits_2_with_one_sentence(string name, string command)
    {
        using var folder = new TempFolder();
        var (make, problem) = Bad[name];
        var dataset = make(folder);
        var r = command == "train"
            ? CliRunner.Run("train", "--dataset", dataset, "--model", "mlp-1x8", "--epochs", "1", "--quiet", "--out", folder["run"])
            : CliRunner.Run("data", "info", dataset);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(problem, r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.EndsWith(".", r.Error.Trim());
    }

    [Fact]
    public void An_image_size_for_a_source_that_is_not_an_image_folder_is_refused()
    {
        using var folder = new TempFolder();
        var r = CliRunner.Run("train", "--dataset", "npz:" + UserTrees.Npz(folder["d.npz"]), "--image-size", "8", "--model", "mlp-1x8", "--out", folder["run"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--image-size resizes the images of a folder:PATH dataset", r.Error);
    }
}
