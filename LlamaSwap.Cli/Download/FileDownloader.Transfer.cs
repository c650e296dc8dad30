using System.Net;
using static LlamaSwap.Cli.Download.ProgressFormat;

namespace LlamaSwap.Cli.Download;

/// <summary>The transfer itself: one GET from an offset into the <c>.part</c>, hashed as it arrives.</summary>
internal sealed partial class FileDownloader
{
    private const int BufferSize = 1 << 20;

    private async Task TransferAsync(
        RepoSnapshot snapshot, RepoFile file, FileStream stream, long offset, ContentHash hash, DownloadProgress progress, CancellationToken cancellationToken)
    {
        using var response = await hub.GetFileAsync(snapshot, file, offset, cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            stream.SetLength(0);
            throw new TransferInterruptedException($"{file.Path}: the server refused to resume at {Bytes(offset)}, starting over");
        }

        offset = StartOf(file, response, offset);
        if (offset == 0 && stream.Length > 0)
        {
            output.WriteLine($"{file.Path}: the server ignored the range request: starting over from 0");
            hash.Reset();
            stream.SetLength(0);
        }

        stream.Position = offset;
        progress.Start(offset);
        var done = offset;
        var buffer = new byte[BufferSize];
        using var stall = new CancellationTokenSource(Timeout.InfiniteTimeSpan, context.Clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stall.Token);
        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(linked.Token);
        }
        catch (Exception ex) when (Interruption(file, ex, stall, done, cancellationToken) is { } interrupted)
        {
            throw interrupted;
        }

        await using var _ = body;
        while (true)
        {
            stall.CancelAfter(context.StallTimeout);
            int read;
            try
            {
                read = await body.ReadAsync(buffer, linked.Token);
            }
            catch (Exception ex) when (Interruption(file, ex, stall, done, cancellationToken) is { } interrupted)
            {
                throw interrupted;
            }

            if (read == 0)
            {
                break;
            }

            if (done + read > file.Size)
            {
                throw new DownloadException($"{file.Path}: the server sent more than the {file.Size} bytes the hub lists");
            }

            // Not under Interruption: a full disk is not a cut connection and is not retried.
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            hash.Append(buffer.AsSpan(0, read));
            done += read;
            progress.Report(done);
        }

        if (done < file.Size)
        {
            throw new TransferInterruptedException($"{file.Path}: the connection closed at {Bytes(done)} of {Bytes(file.Size)}");
        }
    }

    // A failure of the connection, as opposed to the disk or the user's Ctrl-C, is worth a retry.
    private TransferInterruptedException? Interruption(RepoFile file, Exception ex, CancellationTokenSource stall, long done, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        var at = $"at {Bytes(done)} of {Bytes(file.Size)}";
        return ex switch
        {
            OperationCanceledException when stall.IsCancellationRequested
                => new TransferInterruptedException($"{file.Path}: nothing arrived for {Duration(context.StallTimeout)} {at}", ex),
            IOException or HttpRequestException
                => new TransferInterruptedException($"{file.Path}: connection lost {at} ({ex.Message})", ex),
            _ => null,
        };
    }

    // Where the body starts: the offset asked for (206), or 0 when a server ignored the Range (200).
    private static long StartOf(RepoFile file, HttpResponseMessage response, long offset)
    {
        var headers = response.Content.Headers;
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            if (headers.ContentRange is not { From: { } from } range || from != offset)
            {
                throw new DownloadException($"{file.Path}: asked for bytes from {offset}, the server sent '{headers.ContentRange}'");
            }

            if (range.Length is { } length && length != file.Size)
            {
                throw new DownloadException($"{file.Path}: the server's copy has {length} bytes, the hub lists {file.Size}");
            }

            return offset;
        }

        if (headers.ContentLength is { } full && full != file.Size)
        {
            throw new DownloadException($"{file.Path}: the server's copy has {full} bytes, the hub lists {file.Size}");
        }

        return 0;
    }
}
