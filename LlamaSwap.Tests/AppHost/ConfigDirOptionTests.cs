using LlamaSwap.AppHost.Cli;

namespace LlamaSwap.Tests.AppHost;

/// <summary><c>--config-dir</c> (reference 1.1): parsed and checked (AppModelTests: passed to every service).</summary>
public sealed class ConfigDirOptionTests
{
    [Fact]
    public void Parse_ConfigDir_AloneIsAccepted_AsAnAbsolutePath()
    {
        var dir = Directory.CreateTempSubdirectory("llamaswap-confdir-");
        try
        {
            var options = Assert.IsType<RunOptions>(CommandLine.Parse(["--config-dir", dir.Name], dir.Parent!.FullName));

            Assert.Equal(dir.FullName, options.ConfigDir);
            Assert.Null(options.ConfigPath);
        }
        finally
        {
            dir.Delete();
        }
    }

    [Fact]
    public void Parse_ConfigDir_Missing_IsAUsageError()
    {
        var error = Assert.Throws<UsageException>(() => CommandLine.Parse(["--config-dir=/nonexistent/llamaswap"], "/work"));

        Assert.Contains("config directory not found", error.Message, StringComparison.Ordinal);
    }
}
