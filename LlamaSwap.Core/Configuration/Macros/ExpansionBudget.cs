namespace LlamaSwap.Core.Configuration.Macros;

/// <summary>
/// How much text macro substitution may add to one config. A macro may use earlier ones, so
/// twenty levels of <c>"${a}${a}"</c> already make a megabyte per use and forty a terabyte: past
/// the budget the config is refused instead of exhausting memory. Real configs add kilobytes: a
/// hundred models each using a 500-character command macro add 50 KB.
/// </summary>
internal sealed class ExpansionBudget
{
    public const long MaxAddedChars = 1024 * 1024;

    private long _left = MaxAddedChars;

    /// <summary>Takes <paramref name="chars"/> for substituting <paramref name="macro"/>; throws <see cref="MacroExpansionException"/> past the budget.</summary>
    public void Spend(Macro macro, long chars)
    {
        _left -= Math.Max(0, chars);
        if (_left < 0)
        {
            throw new MacroExpansionException(
                $"substituting macro '{macro.Slug}' makes the config more than {MaxAddedChars} characters longer; does a macro use others several times, over several levels?");
        }
    }
}
