namespace Gateway.Execution;

/// <summary>Counts a GraphQL document's lexical tokens without parsing it or allocating, and stops once past a limit:
/// names, numbers, strings and punctuators count one each; whitespace, commas and comments count nothing. It only
/// bounds the work ahead, so a malformed document is counted as far as it goes and left for the parser to report.</summary>
public static class GraphQLTokens
{
    public static int CountAtMost(ReadOnlySpan<char> source, int limit)
    {
        var count = 0;
        var i = 0;
        while (i < source.Length && count <= limit)
        {
            var c = source[i];
            if (c is ' ' or '\t' or '\n' or '\r' or ',' or '\uFEFF')
            {
                i++;
                continue;
            }
            count++;
            if (c == '#')
            {
                count--;
                while (i < source.Length && source[i] is not ('\n' or '\r'))
                {
                    i++;
                }
            }
            else if (source[i..].StartsWith("\"\"\""))
            {
                var end = source[(i + 3)..].IndexOf("\"\"\"");
                i = end < 0 ? source.Length : i + 3 + end + 3;
            }
            else if (c == '"')
            {
                for (i++; i < source.Length && source[i] is not ('"' or '\n' or '\r'); i++)
                {
                    if (source[i] == '\\')
                    {
                        i++;
                    }
                }
                i++;
            }
            else if (source[i..].StartsWith("..."))
            {
                i += 3;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            {
                // A name or a number (with its sign, fraction and exponent) runs until the next punctuator or space.
                for (i++; i < source.Length && (char.IsAsciiLetterOrDigit(source[i]) || source[i] is '_' or '.' or '+' or '-'); i++)
                {
                }
            }
            else
            {
                i++;
            }
        }
        return count;
    }
}
