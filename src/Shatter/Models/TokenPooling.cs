using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Models;

/// <summary>
/// What the text models share about padding: ids equal to 0 are padding and come after a text's tokens. Position 0
/// always counts as a token, so a text is never empty (every dataset text has at least one token anyway).
/// </summary>
static class TokenPooling
{
    /// <summary>(B, T) ids → bool (B, T), true at the tokens.</summary>
    public static Tensor Mask(Tensor ids)
    {
        using Scalar pad = 0L.ToScalar(), yes = true.ToScalar(); // held for the calls (docs/torchsharp.md)
        var mask = ids.ne(pad);
        mask.select(1, 0).fill_(yes);
        return mask;
    }

    /// <summary>(B, T, D) and the mask (B, T) → (B, D), the mean over the tokens.</summary>
    public static Tensor Mean(Tensor x, Tensor mask)
    {
        var weights = mask.to_type(x.dtype).unsqueeze(2);                    // (B, T, 1)
        return x.mul(weights).sum(1).div(weights.sum(1));
    }

    /// <summary>(B, T, D) and the mask (B, T) → (B, D), the vector at each text's last token.</summary>
    public static Tensor Last(Tensor x, Tensor mask)
    {
        using var one = 1L.ToScalar();
        var last = mask.to_type(ScalarType.Int64).sum(1).sub(one);           // (B)
        var index = last.view(-1, 1, 1).expand(-1, 1, x.shape[2]);           // (B, 1, D)
        return x.gather(1, index).squeeze(1);
    }
}
