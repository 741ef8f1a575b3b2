namespace MetaGraph.Emulator.Errors;

/// <summary><c>fbtrace_id</c>s: random-looking, from a seeded sequence. Thread-safe.</summary>
internal sealed class TraceIds(int seed)
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private readonly Lock _gate = new();
    private readonly Random _random = new(seed);

    public string Next()
    {
        Span<char> id = stackalloc char[11];
        lock (_gate)
        {
            for (var i = 0; i < id.Length; i++)
            {
                id[i] = Alphabet[_random.Next(Alphabet.Length)];
            }
        }
        return new string(id);
    }
}
