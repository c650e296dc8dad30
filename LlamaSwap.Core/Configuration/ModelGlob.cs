namespace LlamaSwap.Core.Configuration;

/// <summary>
/// The globs of an API key's <c>models</c>: <c>*</c> is any run of characters (slashes included, so
/// <c>author/*</c> covers every model of an author), <c>?</c> one character; case-sensitive, as model IDs are.
/// </summary>
public static class ModelGlob
{
    /// <summary>Whether <paramref name="name"/> matches <paramref name="pattern"/> as a whole.</summary>
    public static bool IsMatch(string pattern, string name)
    {
        // Iterative wildcard match with one backtrack point: linear in practice, no regex to compile.
        int p = 0, n = 0, star = -1, starName = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n]))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                starName = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++starName;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
