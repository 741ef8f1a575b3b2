using Gateway.Execution;
using GraphQL.Types;

namespace Gateway.Schema;

/// <summary><c>dotnet run --project src/Gateway -- schema export --output schema/schema.graphql</c></summary>
public static class SchemaExport
{
    public static bool IsRequested(string[] args) => args is ["schema", "export", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        var output = args.SkipWhile(arg => arg != "--output").Skip(1).FirstOrDefault();
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddGatewayGraphQL();
        await using var services = builder.Services.BuildServiceProvider();
        var sdl = SchemaSdl.Print(services.GetRequiredService<ISchema>());
        if (output is null)
        {
            Console.Write(sdl);
        }
        else
        {
            var path = Path.IsPathRooted(output) ? output : Path.Combine(Hosting.RepositoryRoot.Above(Environment.CurrentDirectory) ?? Environment.CurrentDirectory, output);
            await File.WriteAllTextAsync(path, sdl);
            Console.WriteLine($"Wrote {path}");
        }
        return 0;
    }
}
