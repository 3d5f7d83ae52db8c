using Shatter.Models;
using static TorchSharp.torch;

namespace Shatter.Tests.Models;

/// <summary>The row reading the recurrent classifiers share: step h holds row h of every channel, channel after channel.</summary>
public sealed class RowReadingTests
{
    [Fact]
    public void Step_h_is_row_h_of_each_channel_in_channel_order()
    {
        // (1, 2, 3, 4): value = 100·c + 10·h + w
        var image = tensor(Enumerable.Range(0, 24).Select(i => (float)(100 * (i / 12) + 10 * (i / 4 % 3) + i % 4)).ToArray(), [1, 2, 3, 4]);
        using var rows = RowReading.Rows(image);
        Assert.Equal([1L, 3, 8], rows.shape);
        Assert.Equal(8, RowReading.StepSize(2, 4));
        Assert.Equal([20f, 21, 22, 23, 120, 121, 122, 123], rows[0, 2].data<float>().ToArray());
    }
}
