using System.Diagnostics;
using System.Text.RegularExpressions;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LlamaSwap.Tests.Configuration.Yaml;

/// <summary>
/// No config file, however broken or hostile, hangs or crashes the loader: each one loads, or is
/// refused with errors that say where (a key path or a line and column), within a bounded time.
/// Documents go through <see cref="ConfigLocation.Load"/>, the services' own entry point.
/// </summary>
public sealed partial class HostileYamlTests(ITestOutputHelper output) : IDisposable
{
    // Fixed, so a failure names a document that can be regenerated.
    private const int Seed = 20261211;
    private const int MutationCount = 1500;

    private static readonly TimeSpan PerDocument = TimeSpan.FromSeconds(2);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("llamaswap-hostile-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public Task LoadFile_EveryTruncationOfARealConfig_LoadsOrIsRefusedWithALocation()
        => AssertEachLoadsOrIsLocatedAsync(HostileYamlCorpus.Truncations(CompactConfig()), LoadAsFile);

    [Fact]
    public Task LoadConfigDir_RandomEditsOfARealConfig_LoadOrAreRefusedWithALocation()
        => AssertEachLoadsOrIsLocatedAsync(HostileYamlCorpus.Mutations(CompactConfig(), Seed, MutationCount), LoadAsDirectory);

    [Fact]
    public Task LoadFile_ExtremeDocuments_LoadOrAreRefusedWithALocation()
        => AssertEachLoadsOrIsLocatedAsync(HostileYamlCorpus.Extremes(CompactConfig()), LoadAsFile);

    [Fact]
    public void LoadFile_ColonAndSpaceInAPlainValue_RefusedAtItsLineAndColumnWithAQuoteHint()
    {
        var result = LoadAsFile("models:\n  alpha:\n    cmd: echo a: b --port ${PORT}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("models.alpha.cmd", error.Path);
        Assert.StartsWith("invalid YAML at line 3, column 16: mapping values are not allowed in this context", error.Message, StringComparison.Ordinal);
        Assert.Contains("quote the value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_UnclosedBracketBeforeALessIndentedKey_RefusedAtItsLine()
    {
        // YamlDotNet throws a bare InvalidOperationException here; it used to escape the loader.
        var result = LoadAsFile("models:\n  alpha: [unclosed\n  beta:\n    cmd: x ${PORT}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("models.alpha", error.Path);
        Assert.Equal("invalid YAML at line 3, column 3: a '[' or '{' is not closed before this line", error.Message);
    }

    [Fact]
    public void LoadFile_AliasBomb_RefusedByTheNodeLimit()
    {
        var laughs = "l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n"
            + string.Concat(Enumerable.Range(1, 9).Select(i => $"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n"));

        var result = LoadAsFile(laughs + "models:\n  m:\n    cmd: x ${PORT}\n    metadata: *l9\n");

        var error = Assert.Single(result.Errors);
        Assert.Matches(@"^invalid YAML at line 6, column \d+: the document expands to more than 250000 values", error.Message);
    }

    [Fact]
    public void LoadFile_MacroBomb_RefusedByTheExpansionBudget()
    {
        var macros = "macros:\n  m0: \"lol \"\n" + string.Concat(Enumerable.Range(1, 40).Select(i => $"  m{i}: \"${{m{i - 1}}}${{m{i - 1}}}\"\n"));

        var result = LoadAsFile(macros + "models:\n  m:\n    cmd: x ${m40} ${PORT}\n");

        ConfigAssert.HasError(result, "models.m", "makes the config more than 1048576 characters longer");
    }

    [Fact]
    public void LoadFile_NestedDeeperThanTheLimit_RefusedAtTheLevelPastIt()
    {
        // The document's mapping is the first level, so the 64th '[' is the 65th.
        var result = LoadAsFile("x: " + new string('[', 64) + new string(']', 64) + "\nmodels: {}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("invalid YAML at line 1, column 67: nesting deeper than 64 levels", error.Message);
    }

    [Fact]
    public void LoadFile_NestedToTheLimit_Loads()
    {
        var result = LoadAsFile("x: " + new string('[', 63) + "1" + new string(']', 63) + "\nmodels: {}\n");

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
    }

    [Fact]
    public void LoadFile_LargerThanTheLimit_RefusedWithoutReadingIt()
    {
        var path = Path.Combine(_dir.FullName, "huge.yaml");
        using (var file = File.Create(path))
        {
            file.SetLength((4 * 1024 * 1024) + 1);
        }

        var error = Assert.Single(ConfigLoader.LoadFile(path, ExampleConfigTests.Environment).Errors);

        Assert.Equal($"cannot read config file {path}: the file is 4194305 bytes; a config may be at most 4194304 bytes", error.Message);
    }

    [Fact]
    public void LoadFile_EnvVariableUnsetInAFileThatDoesNotParse_ReportedAtItsLineAndColumn()
    {
        var result = LoadAsFile("models:\n  m:\n    cmd: x ${env.NOT_SET_ANYWHERE} ${PORT}\n  [\n");

        ConfigAssert.HasError(result, string.Empty, "environment variable 'NOT_SET_ANYWHERE' is not set at line 3, column 12");
    }

    [Fact]
    public async Task LoadFile_ThousandsOfMacrosAndOfValues_LoadsInLinearTime()
    {
        // Each macro used to walk the whole tree: 5 000 macros x 50 000 values took half a minute.
        var yaml = "macros:\n" + string.Concat(Enumerable.Range(0, 5_000).Select(i => $"  m{i}: v{i}\n"))
            + "models:\n  m:\n    cmd: x ${m4999} ${m0} ${PORT}\n"
            + "x:\n" + string.Concat(Enumerable.Range(0, 50_000).Select(i => $"  - a${{m{i % 5_000}}}\n"));

        var started = Stopwatch.GetTimestamp();
        var result = await Task.Run(() => LoadAsFile(yaml)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.Succeeded, string.Join('\n', result.Errors.Take(5)));
        Assert.Equal(["x", "v4999", "v0", "5800"], result.Config!.Models["m"].Command);
        output.WriteLine($"loaded in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms");
    }

    private async Task AssertEachLoadsOrIsLocatedAsync(IEnumerable<HostileDocument> documents, Func<HostileDocument, ConfigLoadResult> load)
    {
        var failures = new List<string>();
        var (count, valid) = (0, 0);
        var (slowest, slowestName) = (TimeSpan.Zero, string.Empty);
        var total = Stopwatch.StartNew();
        foreach (var document in documents)
        {
            var started = Stopwatch.GetTimestamp();
            ConfigLoadResult result;
            try
            {
                // Nothing can stop a spinning loader thread; the test fails at the deadline and leaves it.
                result = await Task.Run(() => load(document)).WaitAsync(PerDocument);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{document.Name}: still loading after {PerDocument.TotalSeconds} s");
                throw;
            }
            catch (Exception e)
            {
                failures.Add($"{document.Name}: threw {e}");
                continue;
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            (slowest, slowestName) = elapsed > slowest ? (elapsed, document.Name) : (slowest, slowestName);
            count++;
            valid += result.Succeeded ? 1 : 0;
            if (Unlocated(result) is { } problem)
            {
                failures.Add($"{document.Name}: {problem}");
            }
        }

        output.WriteLine($"{count} documents ({valid} valid) in {total.Elapsed.TotalSeconds:F1} s; slowest {slowest.TotalMilliseconds:F0} ms: {slowestName}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} documents:\n" + string.Join('\n', failures.Take(20)));
    }

    private static string? Unlocated(ConfigLoadResult result)
    {
        if (result.Succeeded)
        {
            return null;
        }

        if (result.Errors.Count == 0)
        {
            return "refused without an error";
        }

        var unlocated = result.Errors.FirstOrDefault(e =>
            !LineAndColumn().IsMatch(e.Message) && (e.Path.Length == 0 || e.Message.Contains("invalid YAML", StringComparison.Ordinal)));
        return unlocated is null ? null : $"an error without its line and column or key path: {unlocated}";
    }

    private ConfigLoadResult LoadAsFile(string yaml) => LoadAsFile(new HostileDocument("test", System.Text.Encoding.UTF8.GetBytes(yaml)));

    private ConfigLoadResult LoadAsFile(HostileDocument document)
    {
        var path = Path.Combine(_dir.FullName, "config.yaml");
        File.WriteAllBytes(path, document.Bytes);
        return new ConfigLocation(path, null).Load(ExampleConfigTests.Environment);
    }

    // Through --config-dir, the multi-file loader: the same document next to a valid second file.
    private ConfigLoadResult LoadAsDirectory(HostileDocument document)
    {
        var directory = Path.Combine(_dir.FullName, "dir");
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "a.yaml"), document.Bytes);
        File.WriteAllText(Path.Combine(directory, "b.yaml"), "models:\n  zz-extra:\n    cmd: server --port ${PORT}\n");
        return new ConfigLocation(null, directory).Load(ExampleConfigTests.Environment);
    }

    private static byte[] CompactConfig()
        => File.ReadAllBytes(Path.Combine(RepoLayout.Root, "LlamaSwap.Tests", "Configuration", "Yaml", "compact-config.yaml"));

    [GeneratedRegex(@"line \d+, column \d+")]
    private static partial Regex LineAndColumn();
}
