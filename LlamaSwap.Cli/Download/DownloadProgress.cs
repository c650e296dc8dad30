namespace LlamaSwap.Cli.Download;

/// <summary>
/// The progress of one file. On a terminal one line is redrawn in place (carriage return) at most
/// every 200 ms; otherwise a plain line is written at each 10 % and at least every 30 s, so a log
/// stays readable. The clock is a <see cref="TimeProvider"/> so tests drive speed and ETA.
/// </summary>
internal sealed class DownloadProgress
{
    private readonly TextWriter _output;
    private readonly ProgressOutput _mode;
    private readonly TimeProvider _clock;
    private readonly string _name;
    private readonly long _total;
    private readonly TransferRate _rate;
    private long _started;
    private long _startBytes;
    private long _lastShown;
    private int _lastTenth;
    private int _drawnLength;
    private long _done;

    public DownloadProgress(TextWriter output, ProgressOutput mode, TimeProvider clock, string name, long total)
    {
        _output = output;
        _mode = mode;
        _clock = clock;
        _name = name;
        _total = total;
        _rate = new TransferRate(clock, TimeSpan.FromSeconds(10));
    }

    /// <summary>Starts (or starts over) at <paramref name="bytes"/> already on disk.</summary>
    public void Start(long bytes)
    {
        _started = _clock.GetTimestamp();
        _startBytes = bytes;
        _done = bytes;
        _rate.Restart(bytes);
        _lastTenth = Tenth(bytes);
        Show(force: true);
    }

    public void Report(long bytes)
    {
        _done = bytes;
        _rate.Add(bytes);
        Show(force: false);
    }

    /// <summary>Ends the line with the time taken and the average speed of this run.</summary>
    public void Finish()
    {
        var line = ProgressFormat.Done(_name, _total, _clock.GetElapsedTime(_started), _done - _startBytes);
        if (_mode.Interactive)
        {
            Draw(line);
            _output.WriteLine();
            _drawnLength = 0;
        }
        else
        {
            _output.WriteLine(line);
        }

        _output.Flush();
    }

    /// <summary>Leaves a redrawn line where it stands so a message can follow on its own line; nothing when no line is open.</summary>
    public void Interrupt()
    {
        if (_mode.Interactive && _drawnLength > 0)
        {
            _output.WriteLine();
            _drawnLength = 0;
        }
    }

    private void Show(bool force)
    {
        var now = _clock.GetTimestamp();
        var since = _clock.GetElapsedTime(_lastShown, now);
        var tenth = Tenth(_done);
        var due = _mode.Interactive
            ? since >= ProgressOutput.RedrawEvery
            : tenth > _lastTenth || since >= ProgressOutput.PlainEvery;
        if (!force && (!due || (!_mode.Interactive && _done >= _total)))
        {
            return; // a plain log gets its 100 % from Finish, with the time taken
        }

        _lastShown = now;
        _lastTenth = tenth;
        var line = ProgressFormat.Line(_name, _done, _total, _rate.BytesPerSecond(_done), bar: _mode.Interactive, _mode.Width);
        if (_mode.Interactive)
        {
            Draw(line);
        }
        else
        {
            _output.WriteLine(line);
        }

        _output.Flush();
    }

    // Spaces rub out the rest of a longer previous line; no terminal escape codes needed.
    private void Draw(string line)
    {
        _output.Write('\r' + line.PadRight(_drawnLength));
        _drawnLength = line.Length;
    }

    private int Tenth(long bytes) => _total > 0 ? (int)(bytes * 10 / _total) : 10;
}
