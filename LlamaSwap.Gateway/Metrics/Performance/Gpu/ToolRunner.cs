using System.ComponentModel;
using System.Diagnostics;

namespace LlamaSwap.Gateway.Metrics.Performance.Gpu;

/// <summary>
/// Runs a GPU tool to completion and returns what it printed, or throws <see cref="GpuReadException"/>:
/// a tool that runs longer than the timeout is killed with its children (a hung driver hangs
/// <c>nvidia-smi</c>, and a stuck process per round would pile up).
/// </summary>
internal sealed class ToolRunner(TimeSpan timeout, TimeProvider time)
{
    public async Task<string> RunAsync(string path, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new GpuReadException($"{path} could not start: {ex.Message}");
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new GpuReadException($"{path} did not finish within {timeout.TotalSeconds:0.###}s and was killed");
        }

        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            var reason = string.IsNullOrWhiteSpace(errors) ? output : errors;
            throw new GpuReadException($"{path} exited with {process.ExitCode}: {Shorten(reason)}");
        }

        return output;
    }

    internal static string Shorten(string text)
    {
        var trimmed = text.Trim().ReplaceLineEndings(" ");
        return trimmed.Length <= 200 ? trimmed : trimmed[..200] + "...";
    }
}
