using LlamaSwap.Core.Security;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Core.Security;

public sealed class KeyClaimSignerTests
{
    private static readonly KeyClaim Claim = new("team-a", ["alpha*"]);

    [Fact]
    public void SignedClaim_VerifiesOnce_ForItsMethod()
    {
        var clock = new ManualTimeProvider();
        var signer = new KeyClaimSigner("secret", clock);
        var header = signer.Sign(Claim, "POST");

        var verified = signer.Verify(header, "POST", out var problem);
        var replayed = signer.Verify(header, "POST", out var replayProblem);

        Assert.Null(problem);
        Assert.Equal("team-a", verified!.Name);
        Assert.Equal(["alpha*"], verified.Models);
        Assert.Null(replayed);
        Assert.Equal("key claim already used", replayProblem);
    }

    [Fact]
    public void AnotherSecret_AnotherMethod_TooOld_TamperedPayload_AreRefused()
    {
        var clock = new ManualTimeProvider();
        var signer = new KeyClaimSigner("secret", clock);

        Assert.Null(new KeyClaimSigner("other-secret", clock).Verify(signer.Sign(Claim, "POST"), "POST", out var wrongSecret));
        Assert.Null(signer.Verify(signer.Sign(Claim, "GET"), "POST", out var wrongMethod));
        var old = signer.Sign(Claim, "POST");
        clock.Advance(KeyClaimSigner.MaxAge + TimeSpan.FromSeconds(1));
        Assert.Null(signer.Verify(old, "POST", out var expired));
        var parts = signer.Sign(Claim, "POST").Split('.');
        var widened = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("alpha*", "*", StringComparison.Ordinal)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Null(signer.Verify($"{parts[0]}.{widened}.{parts[2]}", "POST", out var tampered));
        Assert.Null(signer.Verify("not a claim", "POST", out var malformed));

        Assert.Equal("key claim signature does not match", wrongSecret);
        Assert.Equal("key claim was made for another request", wrongMethod);
        Assert.Equal("key claim expired", expired);
        Assert.Equal("key claim signature does not match", tampered);
        Assert.Equal("malformed key claim", malformed);
    }
}
