using System.Text;
using MetaGraph.Emulator.FieldExpansion;

namespace MetaGraph.Emulator.Graph;

/// <summary>The standalone URL of an edge, e.g. <c>http://host/v25.0/t_1/messages?access_token=...&amp;fields=id</c>, to which
/// a page's <c>limit</c> and cursor are added. Built only when a page has a neighbour.</summary>
internal readonly record struct EdgeLink(GraphRequest Request, string NodeId, string Edge, bool Nested, IReadOnlyList<FieldSelection>? Fields = null)
{
    private static readonly string[] ProofParameters = ["appsecret_proof", "appsecret_time"];

    public string Url(int limit, string cursorName, string cursor)
    {
        var url = new StringBuilder(256).Append(Request.VersionRoot).Append(Uri.EscapeDataString(NodeId)).Append('/').Append(Edge).Append('?');
        Append(url, "access_token", Request.Token);
        if (Nested)
        {
            // A nested edge's link stands alone: the token, its proof and the edge's own subfields.
            foreach (var name in ProofParameters)
            {
                if (Request[name] is { } value)
                {
                    Append(url, name, value);
                }
            }
            if (Fields is not null)
            {
                Append(url, "fields", FieldSelection.Format(Fields));
            }
        }
        else
        {
            foreach (var (name, value) in Request.Query)
            {
                if (name is not ("access_token" or "limit" or "after" or "before"))
                {
                    Append(url, name, value.ToString());
                }
            }
        }
        return url.Append("limit=").Append(limit).Append('&').Append(cursorName).Append('=').Append(cursor).ToString();
    }

    private static void Append(StringBuilder url, string name, string value)
        => url.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
}
