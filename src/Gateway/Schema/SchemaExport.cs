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
            var path = Path.IsPathRooted(output) ? output : Path.Combine(RepositoryRoot(), output);
            await File.WriteAllTextAsync(path, sdl);
            Console.WriteLine($"Wrote {path}");
        }
        return 0;
    }

    /// <summary><c>dotnet run</c> starts in the project folder, so relative paths are taken from the repository root.</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                return directory.FullName;
            }
        }
        return Environment.CurrentDirectory;
    }
}
