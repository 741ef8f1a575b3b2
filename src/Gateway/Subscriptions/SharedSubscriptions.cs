using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Gateway.Callers;
using Gateway.Execution;
using Gateway.Inbox;
using GraphQL;
using GraphQL.Transport;
using GraphQLParser.AST;

namespace Gateway.Subscriptions;

/// <summary>
/// Identical subscriptions share one execution. Subscribers with the same document, operation, variables and extensions
/// and the same credentials (the same <c>Authorization</c> and the same authenticated principal) attach to one GraphQL.NET
/// stream: each event is resolved once and its result serialized once, however many of them it reaches. Never across
/// credentials: fields beyond the webhook are read through loaders with the subscriber's token. The stream lives while
/// one of its subscribers does; each keeps its own bounded queue, so a slow one still delays no one.
/// </summary>
public sealed class SharedSubscriptions(InboxEventHub hub, IGraphQLTextSerializer serializer)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);

    /// <summary>Subscriptions that share: one stream per key, whose subscribers all see the same results. None for a
    /// subscriber that resumes (<c>after</c>, or SSE's <paramref name="lastEventId"/>): it is first given its own replay,
    /// which joining a running stream would skip.</summary>
    public string? KeyOf(GraphQLRequest request, SubscriberCredentials subscriber, string? lastEventId)
    {
        if (lastEventId is not null || !IsShareableSubscription(request))
        {
            return null;
        }
        // A digest, so the key holds no token; the parts are separated so that no two different requests concatenate alike.
        var text = new StringBuilder()
            .Append(request.Query).Append('\0')
            .Append(request.OperationName).Append('\0')
            .Append(request.Variables is null ? "" : serializer.Serialize(request.Variables)).Append('\0')
            .Append(request.Extensions is null ? "" : serializer.Serialize(request.Extensions)).Append('\0')
            .Append(subscriber.Authorization).Append('\0');
        foreach (var identity in subscriber.User.Identities)
        {
            text.Append(identity.AuthenticationType).Append('\0');
            foreach (var claim in identity.Claims)
            {
                text.Append(claim.Type).Append('\0').Append(claim.Value).Append('\0').Append(claim.Issuer).Append('\0');
            }
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The key's stream, executing it when no subscriber holds one yet. A result without a stream (an error) is
    /// every waiting subscriber's answer, and the next subscriber executes again.</summary>
    public async Task<ExecutionResult> ExecuteAsync(string key, Func<Task<ExecutionResult>> execute, CancellationToken cancellationToken)
    {
        Group group;
        lock (_gate)
        {
            if (!_groups.TryGetValue(key, out group!))
            {
                _groups[key] = group = new Group(this, hub, serializer, key, execute);
            }
            group.Leases++;
        }
        ExecutionResult result;
        try
        {
            // No subscriber's cancellation stops the execution the others wait for.
            result = await group.Execution.Value.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Release(group, forget: false);
            throw;
        }
        catch
        {
            Release(group, forget: true);
            throw;
        }
        if (result.Streams is not { Count: 1 } streams)
        {
            Release(group, forget: true);
            return result;
        }
        var (field, stream) = streams.Single();
        return new ExecutionResult { Executed = true, Streams = new Dictionary<string, IObservable<ExecutionResult>> { [field] = new Lease(group, stream) } };
    }

    /// <summary>A subscriber is done with the group; the last one removes it (as does a failed execution, at once).</summary>
    private void Release(Group group, bool forget)
    {
        lock (_gate)
        {
            if ((--group.Leases == 0 || forget) && _groups.GetValueOrDefault(group.Key) == group)
            {
                _groups.Remove(group.Key);
            }
        }
    }

    /// <summary>A subscription written out in the request (a persisted one runs alone) that does not resume.</summary>
    private static bool IsShareableSubscription(GraphQLRequest request)
    {
        var operation = request.Query is null ? null : OperationTypes.TryParse(request.Query) is { } document
            ? OperationTypes.Select(document, request.OperationName)
            : null;
        return operation?.Operation == OperationType.Subscription
            && !operation.SelectionSet.Selections.OfType<GraphQLField>().Any(field => field.Arguments?.Any(argument => argument.Name.StringValue == "after") == true);
    }

    /// <summary>One execution and its subscribers. <see cref="Leases"/> (under the owner's lock) counts subscribers from
    /// the moment they ask for the group until they leave; the stream is subscribed while at least one is attached.</summary>
    private sealed class Group(SharedSubscriptions owner, InboxEventHub hub, IGraphQLTextSerializer serializer, string key, Func<Task<ExecutionResult>> execute) : IObserver<ExecutionResult>
    {
        private readonly Lock _gate = new();
        private IObserver<ExecutionResult>[] _observers = [];
        private IDisposable? _subscription;

        public string Key { get; } = key;

        public Lazy<Task<ExecutionResult>> Execution { get; } = new(execute);

        public int Leases { get; set; }

        public void Attach(IObserver<ExecutionResult> observer, IObservable<ExecutionResult> stream)
        {
            lock (_gate)
            {
                Volatile.Write(ref _observers, [.. _observers, observer]);
                if (_observers.Length == 1)
                {
                    _subscription = stream.Subscribe(this);
                }
                else
                {
                    hub.CountSharedSubscriber(1);
                }
            }
        }

        public void Detach(IObserver<ExecutionResult> observer)
        {
            lock (_gate)
            {
                if (!_observers.Contains(observer))
                {
                    return;
                }
                Volatile.Write(ref _observers, _observers.Where(o => o != observer).ToArray());
                if (_observers.Length == 0)
                {
                    // Under the lock: a subscriber attaching next subscribes anew only after this stream is gone.
                    _subscription?.Dispose();
                    _subscription = null;
                }
                else
                {
                    hub.CountSharedSubscriber(-1);
                }
            }
            owner.Release(this, forget: false);
        }

        public void OnNext(ExecutionResult value)
        {
            var observers = Volatile.Read(ref _observers);
            if (observers.Length > 1)
            {
                SerializedResults.Remember(value, serializer.Serialize(value));
            }
            foreach (var observer in observers)
            {
                observer.OnNext(value);
            }
        }

        public void OnError(Exception error)
        {
            foreach (var observer in Volatile.Read(ref _observers))
            {
                observer.OnError(error);
            }
        }

        public void OnCompleted()
        {
            foreach (var observer in Volatile.Read(ref _observers))
            {
                observer.OnCompleted();
            }
        }
    }

    /// <summary>One subscriber's hold on a group: subscribing attaches it, disposing the subscription detaches it.</summary>
    private sealed class Lease(Group group, IObservable<ExecutionResult> stream) : IObservable<ExecutionResult>
    {
        public IDisposable Subscribe(IObserver<ExecutionResult> observer)
        {
            group.Attach(observer, stream);
            return new Detacher(group, observer);
        }
    }

    private sealed class Detacher(Group group, IObserver<ExecutionResult> observer) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                group.Detach(observer);
            }
        }
    }
}

/// <summary>A result's JSON, computed once however many subscribers a shared stream hands it to. Only shared results are
/// remembered: an entry costs the garbage collector a dependent handle, a thousand per event when nothing is shared.</summary>
internal static class SerializedResults
{
    private static readonly ConditionalWeakTable<ExecutionResult, string> Texts = [];

    public static void Remember(ExecutionResult result, string json) => Texts.AddOrUpdate(result, json);

    public static string SerializeOnce(this IGraphQLTextSerializer serializer, ExecutionResult result)
        => Texts.TryGetValue(result, out var json) ? json : serializer.Serialize(result);
}
