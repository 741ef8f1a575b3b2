namespace Gateway.Archive.Search;

/// <summary>A word or <c>"a phrase"</c> to find, as the person typed it; <see cref="IsPrefix"/> for <c>word*</c>.</summary>
internal sealed record SearchTerm(string Text, bool IsPrefix);

/// <summary>
/// The search language, the same on both databases: words (all must match), <c>"a phrase"</c> (words in that order),
/// <c>prefix*</c>. Nothing else is an operator: unbalanced quotes, <c>'</c>, <c>-</c>, <c>:</c>, parentheses, <c>NEAR</c>,
/// <c>OR</c> and SQL are plain text, split into words by the database's own tokenizer exactly as the messages were. A term
/// with no letter or digit (<c>-</c>, <c>*</c>, an emoji alone) finds nothing and is dropped.
/// </summary>
internal static class SearchQuery
{
    /// <summary>Terms beyond this many are ignored: enough for any real search, and a bound on the query's cost.</summary>
    public const int MaxTerms = 16;

    public static IReadOnlyList<SearchTerm> Parse(string? input)
    {
        var terms = new List<SearchTerm>();
        var text = input ?? "";
        var position = 0;
        while (position < text.Length && terms.Count < MaxTerms)
        {
            if (char.IsWhiteSpace(text[position]))
            {
                position++;
                continue;
            }
            var closing = text[position] == '"' ? text.IndexOf('"', position + 1) : -1;
            var (term, end) = closing > 0 ? (text[(position + 1)..closing], closing + 1) : Word(text, position);
            var starAfterPhrase = closing > 0 && end < text.Length && text[end] == '*';
            position = starAfterPhrase ? end + 1 : end;
            var isPrefix = starAfterPhrase || term.EndsWith('*');
            Add(terms, term.TrimEnd('*'), isPrefix);
        }
        return terms;
    }

    private static (string Word, int End) Word(string text, int start)
    {
        var end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }
        return (text[start..end], end);
    }

    private static void Add(List<SearchTerm> terms, string text, bool isPrefix)
    {
        if (text.Any(char.IsLetterOrDigit))
        {
            terms.Add(new SearchTerm(text, isPrefix));
        }
    }

    /// <summary>
    /// FTS5's MATCH text, <c>text : ("word" "a phrase" "pre"*)</c>, or with <paramref name="pageIds"/>
    /// <c>page_id : ("p1" OR "p2") AND text : (…)</c>: each term and Page a double-quoted string, which FTS5 reads as a phrase
    /// of the words its tokenizer finds inside, never as syntax (a double quote inside is doubled, FTS5's only escape); a
    /// prefix term gets FTS5's <c>*</c> after the closing quote. Strings side by side must all match; the column filters keep
    /// the terms to the text and the Pages to their column.
    /// </summary>
    public static string ToFts5(IReadOnlyList<SearchTerm> terms, IReadOnlyCollection<string>? pageIds = null)
    {
        var words = $"text : ({string.Join(' ', terms.Select(term => term.IsPrefix ? Quoted(term.Text) + "*" : Quoted(term.Text)))})";
        return pageIds is null ? words : $"page_id : ({string.Join(" OR ", pageIds.Select(Quoted))}) AND {words}";
    }

    private static string Quoted(string text) => $"\"{text.Replace("\"", "\"\"")}\"";
}
