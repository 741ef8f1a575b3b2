using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Configuration;

/// <summary>
/// <c>docs/configuration.md</c> lists every key of every options section the gateway binds (each class with a
/// <c>Section</c> constant), with its default and what it does (the property's doc comment), so the reference cannot drift
/// from the code. After a change, <c>UPDATE_CONFIGURATION_REFERENCE=1 dotnet test --filter ConfigurationReferenceTests</c>
/// writes it again.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    private const string Begin = "<!-- generated: options -->";
    private const string End = "<!-- end generated -->";

    [Fact]
    public void The_configuration_reference_lists_every_key_with_its_default()
    {
        var path = Path.Combine(GatewayHost.RepositoryRoot, "docs", "configuration.md");
        var document = File.ReadAllText(path);
        var table = Render();

        if (Environment.GetEnvironmentVariable("UPDATE_CONFIGURATION_REFERENCE") == "1")
        {
            var start = document.IndexOf(Begin, StringComparison.Ordinal) + Begin.Length;
            File.WriteAllText(path, document[..start] + "\n" + table + document[document.IndexOf(End, StringComparison.Ordinal)..]);
            return;
        }
        Assert.Contains(Begin + "\n" + table + End, document);
    }

    private static string Render()
    {
        var docs = XDocument.Load(Path.Combine(AppContext.BaseDirectory, "Gateway.xml"));
        var summaries = docs.Descendants("member").ToDictionary(m => m.Attribute("name")!.Value, m => Text(m.Element("summary")));
        var sections = typeof(Program).Assembly.GetTypes()
            .Where(type => type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } && type.GetConstructor(Type.EmptyTypes) is not null)
            .Select(type => (Type: type, Section: (string)type.GetField("Section")!.GetRawConstantValue()!))
            .OrderBy(s => s.Section, StringComparer.Ordinal);
        var table = new StringBuilder("| key | default | what it does |\n|---|---|---|\n");
        foreach (var (type, section) in sections)
        {
            Append(table, summaries, section, Activator.CreateInstance(type)!);
        }
        return table.ToString();
    }

    /// <summary>One row per setting; an object's settings under its key, a dictionary's under <c>&lt;name&gt;</c>.</summary>
    private static void Append(StringBuilder table, Dictionary<string, string> summaries, string prefix, object defaults)
    {
        foreach (var property in defaults.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var summary = summaries.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{property.Name}", "");
            var type = property.PropertyType;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && Settings(type.GetGenericArguments()[1]))
            {
                table.Append(CultureInfo.InvariantCulture, $"| `{key}:<name>` |  | {summary} |\n");
                Append(table, summaries, $"{key}:<name>", Activator.CreateInstance(type.GetGenericArguments()[1])!);
            }
            else if (Settings(type))
            {
                Append(table, summaries, key, property.GetValue(defaults) ?? Activator.CreateInstance(type)!);
            }
            else
            {
                table.Append(CultureInfo.InvariantCulture, $"| `{key}` | {Default(property.GetValue(defaults))} | {summary} |\n");
            }
        }
    }

    /// <summary>A class of settings of its own (not a value, text or collection).</summary>
    private static bool Settings(Type type)
        => type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is not null;

    private static string Default(object? value) => value switch
    {
        null => "",
        string { Length: 0 } => "",
        string text => $"`{text}`",
        bool flag => flag ? "`true`" : "`false`",
        IDictionary { Count: 0 } or ICollection { Count: 0 } => "",
        IEnumerable items and not string => $"`{string.Join(", ", items.Cast<object>())}`",
        IFormattable number => $"`{number.ToString(null, CultureInfo.InvariantCulture)}`",
        var other => other.GetType().GetProperties().Length == 0 ? $"`{other}`" : "",
    };

    /// <summary>A doc comment as one line of Markdown: <c>x</c> as code, references by their last name.</summary>
    private static string Text(XElement? summary)
    {
        if (summary is null)
        {
            return "";
        }
        var text = string.Concat(summary.Nodes().Select(node => node switch
        {
            XText plain => plain.Value,
            XElement { Name.LocalName: "c" } code => $"`{code.Value}`",
            XElement reference when reference.Attribute("cref") is { } cref => $"`{cref.Value.Split('(')[0].Split('.', ':')[^1]}`",
            XElement reference when reference.Attribute("name") is { } name => $"`{name.Value}`",
            XElement other => other.Value,
            _ => "",
        }));
        return Spaces().Replace(text, " ").Trim().Replace("|", "\\|");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
