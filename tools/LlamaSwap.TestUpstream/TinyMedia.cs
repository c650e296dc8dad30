using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace LlamaSwap.TestUpstream;

/// <summary>Small deterministic media files built by hand (no image or audio library): a PNG and a WAV.</summary>
internal static class TinyMedia
{
    private const int Side = 64;
    private const int SampleRate = 8000;
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>A 64x64 RGB PNG: a diagonal gradient between two colours derived from <paramref name="seed"/>.</summary>
    public static byte[] Png(string seed)
    {
        var hash = Fnv1a(seed);
        byte[] from = [(byte)hash, (byte)(hash >> 8), (byte)(hash >> 16)];
        byte[] to = [(byte)~from[0], (byte)~from[1], (byte)~from[2]];

        // Each scanline: filter byte 0, then RGB pixels.
        var raw = new byte[Side * ((Side * 3) + 1)];
        for (var y = 0; y < Side; y++)
        {
            var row = y * ((Side * 3) + 1);
            for (var x = 0; x < Side; x++)
            {
                var t = (x + y) / (2.0 * (Side - 1));
                for (var c = 0; c < 3; c++)
                {
                    raw[row + 1 + (x * 3) + c] = (byte)(from[c] + ((to[c] - from[c]) * t));
                }
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Side);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Side);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: truecolour

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A mono 16-bit 8 kHz WAV: 0.4 s of a sine tone whose pitch depends on the text's length.</summary>
    public static byte[] Wav(string text)
    {
        var samples = SampleRate * 2 / 5;
        var frequency = 220.0 + (text.Length % 40 * 10);
        var data = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            var value = (short)(Math.Sin(2 * Math.PI * frequency * i / SampleRate) * short.MaxValue * 0.3);
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), value);
        }

        using var wav = new MemoryStream();
        using var writer = new BinaryWriter(wav, Encoding.ASCII);
        writer.Write("RIFF"u8);
        writer.Write(36 + data.Length);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1); // PCM
        writer.Write((short)1); // mono
        writer.Write(SampleRate);
        writer.Write(SampleRate * 2); // byte rate
        writer.Write((short)2); // block align
        writer.Write((short)16); // bits per sample
        writer.Write("data"u8);
        writer.Write(data.Length);
        writer.Write(data);
        writer.Flush();
        return wav.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        var crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        png.Write(word);
    }

    private static uint Crc(uint crc, byte[] data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
