// Tests for the C# binding against the emulator (GAMEYE_TEST_URL, token "test-token"), written
// with NUnit attributes that both nunit-console (Mono) and Unity's Test Framework run.
using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Gameye.Tests
{
    /// <summary>Makes requests from inside another AppDomain (an Editor script reload unloads one).</summary>
    public sealed class DomainWorker : MarshalByRefObject
    {
        public void StartRequests(string url, int count)
        {
            var client = new GameyeClient(new GameyeClientOptions { BaseUrl = url, Token = "test-token", Retries = 0 });
            for (int i = 0; i < count; i++)
            {
                client.DescribeSessionAsync("in-the-child-" + i); // never disposed: the unload does it
            }
        }

        /// <summary>
        /// Starts a client's native threads, then drops it without Dispose and lets the collector
        /// find it, behind a finalizer that keeps the finalizer thread busy: the client is then
        /// finalized by the domain's unload, as an Editor reload finalizes a dropped client.
        /// </summary>
        public void DropAClientWithThreads(string url)
        {
            MakeSlowFinalizer();
            GC.Collect(); // the finalizer thread now sleeps in it
            Thread.Sleep(100);
            StartAndDrop(url);
            GC.Collect(); // the client is found, and waits for the finalizer thread
        }

        private static void MakeSlowFinalizer()
        {
            new SlowFinalizer();
        }

        private static void StartAndDrop(string url)
        {
            var client = new GameyeClient(new GameyeClientOptions { BaseUrl = url, Token = "test-token", Retries = 0 });
            client.ListSessionsAsync().Wait(); // the workers run now
        }

        private sealed class SlowFinalizer
        {
            ~SlowFinalizer() { Thread.Sleep(1000); }
        }
    }

    [TestFixture]
    public class GameyeClientTests
    {
        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
        /// <summary>Where the emulator's URL may be written when the environment cannot carry it.</summary>
        private const string UrlFile = "gameye-test-url.txt";
        private GameyeClient client;

        private static string Url
        {
            get
            {
                string url = Environment.GetEnvironmentVariable("GAMEYE_TEST_URL");
                // The Unity Editor is seldom started from a shell: a file in the working
                // directory (the project's root in the Editor) serves as well.
                if (string.IsNullOrEmpty(url) && File.Exists(UrlFile))
                {
                    url = File.ReadAllText(UrlFile).Trim();
                }
                if (string.IsNullOrEmpty(url))
                {
                    Assert.Ignore("these tests need the Gameye emulator and no URL was given: run `gameye-mock --admin "
                        + "--token test-token`, then set GAMEYE_TEST_URL to the URL it prints (in the environment the "
                        + "Editor or nunit-console starts in) or write it into " + Path.GetFullPath(UrlFile));
                }
                return url;
            }
        }

        private static GameyeClient NewClient(string token = "test-token")
        {
            return new GameyeClient(new GameyeClientOptions { BaseUrl = Url, Token = token, TimeoutMs = 10000, Retries = 0 });
        }

        private static T Await<T>(Task<T> task)
        {
            Assert.IsTrue(task.Wait(Limit), "the task finished within the limit");
            return task.Result;
        }

        private static GameyeException Failure(Action action)
        {
            try
            {
                action();
            }
            catch (AggregateException aggregate)
            {
                var inner = aggregate.InnerException as GameyeException;
                Assert.IsNotNull(inner, "a GameyeException: " + aggregate.InnerException);
                return inner;
            }
            catch (GameyeException exception)
            {
                return exception;
            }
            Assert.Fail("no exception");
            return null;
        }

        /// <summary>Sends a request to the emulator's admin API.</summary>
        private static void Admin(string path, string body)
        {
            using (var http = new System.Net.WebClient())
            {
                http.Headers.Add("Content-Type", "application/json");
                http.UploadString(Url + path, body);
            }
        }

        [SetUp]
        public void SetUp()
        {
            Admin("/_mock/reset", ""); // no sessions, no faults left over from another test
            client = NewClient();
        }

        [TearDown]
        public void TearDown()
        {
            if (client != null)
            {
                client.Dispose();
            }
        }

        /// <summary>The API requests the emulator received, as its admin API lists them (JSON).</summary>
        private static string Received()
        {
            using (var http = new System.Net.WebClient())
            {
                return http.DownloadString(Url + "/_mock/requests");
            }
        }

        private static Exception Unwrapped(Task task)
        {
            try
            {
                Assert.IsTrue(task.Wait(Limit), "the task finished within the limit");
            }
            catch (AggregateException aggregate)
            {
                return aggregate.InnerException;
            }
            Assert.Fail("no exception");
            return null;
        }

        [Test]
        public void ABlockingCallEndsWhenItsTokenIsCancelled()
        {
            Admin("/_mock/faults", "{\"operation\":\"session-list\",\"delay_ms\":20000,\"times\":1}");
            using (var cancellation = new CancellationTokenSource())
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                cancellation.CancelAfter(200);
                var cancelled = Assert.Catch<OperationCanceledException>(() => client.ListSessions(null, cancellation.Token));
                Assert.AreEqual(cancellation.Token, cancelled.CancellationToken);
                Assert.Less(clock.Elapsed, TimeSpan.FromSeconds(5), "the call ended at the cancel, not with the 20 s answer");
            }
            // Failures come through unwrapped, and an untouched token changes nothing.
            var missing = Assert.Catch<GameyeException>(() => client.DescribeSession("no-such-session", CancellationToken.None));
            Assert.AreEqual(GameyeStatus.NotFound, missing.Status);
            Assert.IsTrue(client.TagExists("europe", "nginx", "latest", CancellationToken.None));
            // A start cancelled after it was sent names the session it may have made.
            Admin("/_mock/faults", "{\"operation\":\"session-run\",\"delay_ms\":20000,\"times\":1}");
            using (var cancellation = new CancellationTokenSource())
            {
                var options = new StartSessionOptions { Id = "blocking-cancelled", Location = "europe", Image = "nginx" };
                cancellation.CancelAfter(300);
                var start = Assert.Catch<SessionStartCanceledException>(() => client.StartSession(options, cancellation.Token));
                Assert.AreEqual("blocking-cancelled", start.SessionId);
            }
        }

        [Test]
        public void ATokenCancelledBeforeSendsNothingAndCancellationsCarryTheToken()
        {
            using (var cancelled = new CancellationTokenSource())
            {
                cancelled.Cancel();
                Task<bool> before = client.TagExistsAsync("europe", "nginx", "latest", cancelled.Token);
                Assert.IsTrue(before.IsCanceled);
                var early = (OperationCanceledException)Unwrapped(before);
                Assert.AreEqual(cancelled.Token, early.CancellationToken);
                StringAssert.DoesNotContain("/tag/", Received(), "nothing was sent");
            }
            using (var during = new CancellationTokenSource())
            {
                Admin("/_mock/faults", "{\"operation\":\"describe-session\",\"delay_ms\":20000,\"times\":1}");
                Task<Session> slow = client.DescribeSessionAsync("x", during.Token);
                during.Cancel();
                var late = (OperationCanceledException)Unwrapped(slow);
                Assert.AreEqual(during.Token, late.CancellationToken);
            }
        }

        [Test]
        public void AStartNamesTheSessionItSentWhenItFailsOrIsCancelled()
        {
            Admin("/_mock/faults", "{\"operation\":\"session-run\",\"status\":500,\"times\":1}");
            GameyeException failed = Failure(() => client.StartSession(new StartSessionOptions { Location = "europe", Image = "nginx" }));
            Assert.AreEqual(GameyeStatus.Server, failed.Status);
            Guid generated;
            Assert.IsTrue(Guid.TryParse(failed.SessionId, out generated), "a Guid the binding generated: " + failed.SessionId);

            Admin("/_mock/faults", "{\"operation\":\"session-run\",\"delay_ms\":20000,\"times\":1}");
            using (var cancellation = new CancellationTokenSource())
            {
                Task<StartedSession> start = client.StartSessionAsync(new StartSessionOptions { Id = "cs-cancelled", Location = "europe", Image = "nginx" },
                    cancellation.Token);
                Thread.Sleep(200); // sent: the emulator holds it
                cancellation.Cancel();
                var cancelled = Unwrapped(start) as SessionStartCanceledException;
                Assert.IsNotNull(cancelled, "a SessionStartCanceledException");
                Assert.AreEqual("cs-cancelled", cancelled.SessionId);
                Assert.AreEqual(cancellation.Token, cancelled.CancellationToken);
            }
        }

        [Test]
        public void WaitingForASessionEndsInEachOutcome()
        {
            Admin("/_mock/lifecycle", "{\"starting_ms\":500}");
            Session running = client.StartSessionAndWait(new StartSessionOptions { Location = "europe", Image = "nginx" }, TimeSpan.FromSeconds(10));
            Assert.AreEqual("running", running.Status);
            Assert.Greater(running.Ports[0].HostPort, 0);

            Admin("/_mock/lifecycle", "{\"starting_ms\":60000}");
            GameyeException late = Failure(() => client.StartSessionAndWait(new StartSessionOptions { Id = "cs-slow", Location = "europe", Image = "nginx" }, TimeSpan.FromMilliseconds(800)));
            Assert.AreEqual(GameyeStatus.Timeout, late.Status);
            Assert.AreEqual("cs-slow", late.SessionId, "the session to stop");
            client.StopSession("cs-slow");

            Admin("/_mock/lifecycle", "{\"starting_ms\":300,\"dies_while_starting\":true}");
            GameyeException died = Failure(() => client.StartSessionAndWait(new StartSessionOptions { Location = "europe", Image = "nginx" }, TimeSpan.FromSeconds(10)));
            Assert.AreEqual(GameyeStatus.SessionEnded, died.Status);
            StringAssert.Contains("dead", died.Message);

            client.StopSessionAndWait(running.Id, TimeSpan.FromSeconds(10));
            Assert.AreEqual("exited", client.WaitForSession(running.Id, SessionState.Ended, TimeSpan.Zero).Status);
            Assert.AreEqual(GameyeStatus.SessionEnded, Failure(() => client.WaitForSession(running.Id, SessionState.Running, TimeSpan.FromSeconds(5))).Status);
            Assert.AreEqual(GameyeStatus.NotFound, Failure(() => client.WaitForSession("cs-none", SessionState.Running, TimeSpan.FromSeconds(5))).Status);
            Assert.Throws<ArgumentOutOfRangeException>(() => client.WaitForSession(running.Id, SessionState.Ended, TimeSpan.FromSeconds(-1)));

            Admin("/_mock/lifecycle", "{\"exits_after_ms\":300,\"forget_after_ms\":0}");
            StartedSession fleeting = client.StartSession(new StartSessionOptions { Location = "europe", Image = "nginx" });
            Assert.IsNull(Await(client.WaitForSessionAsync(fleeting.Id, SessionState.Ended, TimeSpan.FromSeconds(10))), "ended and gone");
        }

        [Test]
        public void AStartAndWaitCancelledWhileWaitingNamesItsSession()
        {
            Admin("/_mock/lifecycle", "{\"starting_ms\":60000}");
            using (var cancellation = new CancellationTokenSource())
            {
                Task<Session> start = client.StartSessionAndWaitAsync(new StartSessionOptions { Id = "cs-waiting", Location = "europe", Image = "nginx" },
                    TimeSpan.FromSeconds(60), cancellation.Token);
                Thread.Sleep(800); // started, and waiting between two looks
                cancellation.Cancel();
                var cancelled = Unwrapped(start) as SessionStartCanceledException;
                Assert.IsNotNull(cancelled, "a SessionStartCanceledException");
                Assert.AreEqual("cs-waiting", cancelled.SessionId);
            }
            Assert.AreEqual("created", client.DescribeSession("cs-waiting").Status, "it exists, still starting");
            Assert.IsTrue(client.StopSessionAndWaitAsync("cs-waiting", TimeSpan.FromSeconds(10)).Wait(Limit));
        }

        [Test]
        public void AProbeAndAnAccessCheckSayWhatTheClientCanReach()
        {
            StringAssert.StartsWith("http://127.0.0.1:", client.Endpoint);
            Assert.AreEqual(TlsRoots.None, client.TlsRoots);
            ProbeResult bare = client.Probe(false);
            Assert.AreEqual(401, bare.HttpStatus);
            Assert.IsFalse(bare.TlsVerified);
            Assert.IsTrue(bare.ServerTime.HasValue);
            Assert.Less((DateTimeOffset.UtcNow - bare.ServerTime.Value).Duration().TotalSeconds, 10);
            Assert.AreEqual(200, client.Probe(true).HttpStatus);

            int before = client.ListSessions(new ListSessionsOptions { All = true }).Count;
            var all = client.CheckAccess();
            Assert.AreEqual(6, all.Count);
            foreach (AccessCheck check in all)
            {
                Assert.AreEqual(AccessGrant.Granted, check.Grant, check.Scope);
                Assert.IsNull(check.Error, check.Scope);
            }
            using (GameyeClient reader = NewClient("reader"))
            {
                foreach (AccessCheck check in reader.CheckAccess())
                {
                    bool read = check.Scope == "session:read";
                    Assert.AreEqual(read ? AccessGrant.Granted : AccessGrant.Refused, check.Grant, check.Scope);
                    if (!read)
                    {
                        Assert.AreEqual(GameyeStatus.Forbidden, check.Error.Status, check.Scope);
                        Assert.AreEqual(403, check.Error.HttpStatus, check.Scope);
                    }
                }
            }
            Assert.AreEqual(before, client.ListSessions(new ListSessionsOptions { All = true }).Count,
                "the checks changed nothing (a start with an empty body starts nothing)");
        }

        [Test]
        public void AWatchSeesSessionsAddedChangedAndRemoved()
        {
            // Labelled, and watched by that label: other tests' sessions (on an emulator run for
            // several suites) are not this watch's events.
            string mark = Guid.NewGuid().ToString("N");
            var start = new StartSessionOptions { Location = "europe", Image = "nginx" };
            start.Labels["watch-test"] = mark;
            StartedSession first = client.StartSession(start);
            var options = new WatchSessionsOptions { Interval = TimeSpan.FromMilliseconds(250), Filter = new ListSessionsOptions() };
            options.Filter.Labels["watch-test"] = mark;
            using (SessionWatch watch = client.WatchSessions(options))
            {
                Func<SessionWatchEvent> next = () =>
                {
                    SessionWatchEvent e;
                    Assert.IsTrue(watch.TryNext(TimeSpan.FromSeconds(10), out e), "an event");
                    return e;
                };
                SessionWatchEvent added = next();
                Assert.AreEqual(SessionWatchEventKind.Added, added.Kind);
                Assert.AreEqual(first.Id, added.Session.Id);
                client.JoinSession(first.Id, "p1");
                SessionWatchEvent changed = next();
                Assert.AreEqual(SessionWatchEventKind.Changed, changed.Kind);
                Assert.AreEqual(SessionChanges.PlayerCount, changed.Changes);
                Assert.AreEqual(0, changed.Previous.PlayerCount);
                Assert.AreEqual(1, changed.Session.PlayerCount);
                client.StopSession(first.Id);
                Assert.AreEqual(SessionWatchEventKind.Removed, next().Kind);
                SessionWatchEvent none;
                Assert.IsFalse(watch.TryNext(TimeSpan.FromMilliseconds(600), out none), "no other change");
                Assert.IsNull(watch.LastError);
                Assert.IsTrue(watch.IsRunning);

                // Disposed while a poll is held on the wire: it ends at once.
                Admin("/_mock/faults", "{\"operation\":\"session-list\",\"delay_ms\":10000}");
                Thread.Sleep(600);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                watch.Dispose();
                Assert.Less(clock.ElapsedMilliseconds, 2000);
                Assert.IsFalse(watch.IsRunning);
                Assert.IsFalse(watch.TryNext(TimeSpan.Zero, out none));
            }
        }

        [Test]
        public void UsingAClientAfterDisposeFailsCleanly()
        {
            GameyeClient disposed = NewClient();
            disposed.Dispose();
            disposed.Dispose(); // twice is fine
            Assert.Throws<ObjectDisposedException>(() => disposed.ListSessions());
            Assert.Throws<ObjectDisposedException>(() => disposed.ListSessionsAsync());
        }

        /// <summary>A context that runs what is posted to it on a thread of its own, and counts.</summary>
        private sealed class RecordingContext : SynchronizationContext
        {
            public int Posts;

            public override void Post(SendOrPostCallback callback, object state)
            {
                Interlocked.Increment(ref Posts);
                var thread = new Thread(() =>
                {
                    SetSynchronizationContext(this);
                    callback(state);
                });
                thread.Start();
            }
        }

        private async Task<bool> ContinuesInItsContext(SynchronizationContext context)
        {
            await client.TagExistsAsync("europe", "nginx", "latest");
            return SynchronizationContext.Current == context;
        }

        [Test]
        public void ContinuationsReturnToTheCallersSynchronizationContext()
        {
            var context = new RecordingContext();
            SynchronizationContext saved = SynchronizationContext.Current;
            Task<bool> task;
            SynchronizationContext.SetSynchronizationContext(context);
            try
            {
                task = ContinuesInItsContext(context);
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(saved);
            }
            Assert.IsTrue(Await(task), "the continuation ran in the caller's context");
            Assert.GreaterOrEqual(context.Posts, 1);
        }

        [Test]
        public void TheSessionContextComesFromTheEnvironment()
        {
            GameyeSessionContext context;
            Environment.SetEnvironmentVariable("GAMEYE_SESSION_ID", null);
            Assert.IsFalse(GameyeSessionContext.TryGetCurrent(out context));
            Assert.IsNull(context);
            Assert.AreEqual(GameyeStatus.NotFound, Failure(() => GameyeSessionContext.Current()).Status);
            Environment.SetEnvironmentVariable("GAMEYE_SESSION_ID", "match-9");
            Environment.SetEnvironmentVariable("GAMEYE_HOST", "192.0.2.7");
            try
            {
                Assert.IsTrue(GameyeSessionContext.TryGetCurrent(out context));
                Assert.AreEqual("match-9", context.SessionId);
                Assert.AreEqual("192.0.2.7", GameyeSessionContext.Current().Host);
            }
            finally
            {
                Environment.SetEnvironmentVariable("GAMEYE_SESSION_ID", null);
                Environment.SetEnvironmentVariable("GAMEYE_HOST", null);
            }
        }

        [Test]
        public void TheServerHelperExistsOnlyInASessionAndDisposeFlushes()
        {
            var options = new GameyeClientOptions { BaseUrl = Url, Token = "test-token", Retries = 0 };
            GameyeServer server;
            Environment.SetEnvironmentVariable("GAMEYE_SESSION_ID", null);
            Assert.IsFalse(GameyeServer.TryStart(out server, options));
            Assert.IsNull(server);
            StartedSession started = client.StartSession(new StartSessionOptions { Location = "europe", Image = "nginx" });
            Environment.SetEnvironmentVariable("GAMEYE_SESSION_ID", started.Id);
            try
            {
                // A long batch interval: only the flush in Dispose sends the joins.
                Assert.IsTrue(GameyeServer.TryStart(out server, options, new RosterReporterOptions { BatchIntervalMs = 60000 }));
            }
            finally
            {
                Environment.SetEnvironmentVariable("GAMEYE_SESSION_ID", null);
            }
            Assert.AreEqual(started.Id, server.SessionId);
            server.PlayerJoined("ana");
            server.PlayerJoined("bo");
            Assert.AreEqual(2, server.Pending);
            server.Dispose();
            server.Dispose(); // idempotent
            CollectionAssert.AreEquivalent(new[] { "ana", "bo" }, client.DescribeSession(started.Id).Players);
            Assert.Catch<ObjectDisposedException>(() => server.PlayerJoined("cy"));
        }

        [Test]
        public void TheRosterReporterReportsFailsOnceAndStopsTheSession()
        {
            StartedSession started = client.StartSession(new StartSessionOptions { Location = "europe", Image = "my-game" });
            var failures = new System.Collections.Concurrent.ConcurrentQueue<GameyeException>();
            var options = new RosterReporterOptions { BatchIntervalMs = 10, MaxPending = 3, OnFailure = failures.Enqueue };
            using (RosterReporter reporter = client.CreateRosterReporter(started.Id, options))
            {
                reporter.PlayerJoined("ana");
                reporter.PlayerJoined("bo");
                Assert.AreEqual(GameyeStatus.InvalidArgument, Failure(() => reporter.PlayerJoined("")).Status);
                reporter.Flush(5000);
                Assert.AreEqual(0, reporter.Pending);
                CollectionAssert.AreEquivalent(new[] { "ana", "bo" }, client.DescribeSession(started.Id).Players);

                // The bound: nothing changes past it.
                Admin("/_mock/faults", "{\"operation\":\"join-session\",\"delay_ms\":300,\"times\":1}");
                reporter.PlayerJoined("c1");
                reporter.PlayerJoined("c2");
                reporter.PlayerJoined("c3");
                Assert.AreEqual(GameyeStatus.RateLimited, Failure(() => reporter.PlayerJoined("c4")).Status);
                reporter.Flush(5000);

                // A permanent failure reaches the callback once, the status and the flush.
                Admin("/_mock/faults", "{\"operation\":\"leave-session\",\"status\":401,\"times\":1}");
                reporter.PlayerLeft("bo");
                Assert.AreEqual(GameyeStatus.Unauthorized, Failure(() => reporter.Flush(5000)).Status);
                Assert.AreEqual(GameyeStatus.Unauthorized, reporter.Status);
                Assert.AreEqual(1, failures.Count);
                reporter.Resync();
                reporter.Flush(5000);
                Assert.AreEqual(GameyeStatus.Ok, reporter.Status);
                CollectionAssert.AreEquivalent(new[] { "ana", "c1", "c2", "c3" }, client.DescribeSession(started.Id).Players);

                // The client may be disposed first; the reporter still ends the match.
                client.Dispose();
                client = NewClient();
                reporter.StopSession(5000);
                Assert.AreEqual(GameyeStatus.Cancelled, Failure(() => reporter.PlayerJoined("late")).Status);
                Assert.IsFalse(client.ListSessions().Any(s => s.Id == started.Id));
            }
        }

        [Test]
        public void DisposingAReporterWhileAnotherThreadFlushesEndsTheFlush()
        {
            StartedSession started = client.StartSession(new StartSessionOptions { Location = "europe", Image = "my-game" });
            RosterReporter reporter = client.CreateRosterReporter(started.Id, new RosterReporterOptions { SendImmediately = true });
            Admin("/_mock/faults", "{\"operation\":\"join-session\",\"delay_ms\":20000}");
            reporter.PlayerJoined("slow");
            Task flushing = Task.Run(() => reporter.Flush(30000));
            Thread.Sleep(300);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            reporter.Dispose();
            Assert.Less(watch.Elapsed, TimeSpan.FromSeconds(3));
            var exception = Unwrapped(flushing) as GameyeException;
            Assert.IsNotNull(exception);
            Assert.AreEqual(GameyeStatus.Cancelled, exception.Status);
        }

        [Test]
        public void StartListDescribeStop()
        {
            var options = new StartSessionOptions { Id = "cs-1", Location = "europe", Image = "my-game", Ttl = "1h" };
            options.Labels["mode"] = "ffa";
            options.Env["MAP"] = "dust";
            options.Args.Add("--max-players=8");
            StartedSession started = client.StartSession(options);
            Assert.AreEqual("cs-1", started.Id);
            Assert.AreEqual(2, started.Ports.Count);
            Assert.AreEqual("7777/udp", started.Ports[0].Name);

            var filter = new ListSessionsOptions { Location = "europe", PlayerCountLessThan = 8 };
            filter.Labels["mode"] = "ffa";
            Session listed = client.ListSessions(filter).Single();
            Assert.AreEqual("cs-1", listed.Id);
            Assert.AreEqual("my-game", listed.Image);
            Assert.AreEqual("1.1.0", listed.Tag);
            Assert.AreEqual("running", listed.Status);
            Assert.AreEqual(0, listed.PlayerCount);
            Assert.AreEqual("ffa", listed.Tags["mode"]);
            Assert.AreEqual("dust", listed.Env["MAP"]);
            Assert.IsNull(listed.Players);
            Assert.Greater(listed.Created, DateTimeOffset.FromUnixTimeMilliseconds(1600000000000));
            Assert.AreEqual(started.Ports[1].HostPort, listed.Ports.Single(p => p.Name == "7778/tcp").HostPort);

            Roster joined = client.JoinSession("cs-1", "p1", "p2");
            Assert.AreEqual(2, joined.Count);
            Session described = client.DescribeSession("cs-1");
            CollectionAssert.AreEqual(new[] { "p1", "p2" }, described.Players.ToArray());
            Assert.AreEqual(1, client.LeaveSession("p1").Count);
            StringAssert.Contains("player p1 joined", client.GetLogs("cs-1"));
            Assert.AreEqual(3, client.GetAvailableLocations("my-game").Count);
            Assert.IsTrue(client.TagExists("europe", "my-game", "1.0.0"));
            Assert.IsFalse(client.TagExists("europe", "my-game", "9.9.9"));

            client.StopSession("cs-1");
            GameyeException again = Failure(() => client.StopSession("cs-1"));
            Assert.AreEqual(GameyeStatus.Conflict, again.Status);
            Assert.AreEqual(409, again.HttpStatus);
            Assert.IsNotNull(again.Identifier);

            string archive = Path.Combine(Path.GetTempPath(), "gameye-cs-" + Guid.NewGuid().ToString("N") + ".tar.gz");
            ulong bytes = client.DownloadArtifact("cs-1", "/var/log/game.log", archive);
            Assert.AreEqual((long)bytes, new FileInfo(archive).Length);
            File.Delete(archive);
        }

        [Test]
        public void ErrorsCarryEveryField()
        {
            GameyeException missing = Failure(() => client.DescribeSession("nope"));
            Assert.AreEqual(GameyeStatus.NotFound, missing.Status);
            Assert.AreEqual(404, missing.HttpStatus);
            Assert.IsNotNull(missing.Code);
            Assert.IsNotNull(missing.Details);
            Assert.IsNotNull(missing.Timestamp);
            Assert.AreEqual(1, missing.Attempts);
            Assert.IsNull(missing.SessionId);

            // A failed start names the id it sent: a server may exist under it.
            var taken = new StartSessionOptions { Id = "cs-taken", Location = "europe", Image = "nginx" };
            client.StartSession(taken);
            GameyeException conflict = Failure(() => client.StartSession(taken));
            Assert.AreEqual(GameyeStatus.Conflict, conflict.Status);
            Assert.AreEqual("cs-taken", conflict.SessionId);

            using (GameyeClient wrong = NewClient("wrong-token"))
            {
                GameyeException unauthorized = Failure(() => wrong.ListSessions());
                Assert.AreEqual(GameyeStatus.Unauthorized, unauthorized.Status);
                StringAssert.Contains("sandbox and production tokens are not interchangeable", unauthorized.Hint);
                StringAssert.DoesNotContain("not interchangeable", unauthorized.Message);
                StringAssert.DoesNotContain("wrong-token", unauthorized.Message);
            }

            GameyeException invalid = Failure(() => client.StartSession(new StartSessionOptions { Location = "", Image = "nginx" }));
            Assert.AreEqual(GameyeStatus.InvalidArgument, invalid.Status);
            GameyeException badUrl = Failure(() => new GameyeClient(new GameyeClientOptions { BaseUrl = "ftp://x", Token = "t" }));
            Assert.AreEqual(GameyeStatus.InvalidArgument, badUrl.Status);
        }

        [Test]
        public void AsyncCallsComplete()
        {
            StartedSession started = Await(client.StartSessionAsync(new StartSessionOptions { Location = "europe", Image = "nginx" }));
            Assert.AreEqual(36, started.Id.Length, "a generated UUID");
            Assert.AreEqual(1, Await(client.ListSessionsAsync()).Count);
            Assert.AreEqual(started.Id, Await(client.DescribeSessionAsync(started.Id)).Id);
            Assert.AreEqual(1, Await(client.JoinSessionAsync(started.Id, new[] { "p" })).Count);
            Assert.AreEqual(0, Await(client.LeaveSessionAsync(new[] { "p" })).Count);
            StringAssert.Contains(started.Id, Await(client.GetLogsAsync(started.Id)));
            Assert.AreEqual(3, Await(client.GetAvailableLocationsAsync("nginx")).Count);
            Assert.IsTrue(Await(client.TagExistsAsync("europe", "nginx", "latest")));
            Assert.IsTrue(client.StopSessionAsync(started.Id).Wait(Limit));
            string archive = Path.Combine(Path.GetTempPath(), "gameye-cs-" + Guid.NewGuid().ToString("N") + ".tar.gz");
            Assert.Greater(Await(client.DownloadArtifactAsync(started.Id, "/x", archive)), 0UL);
            File.Delete(archive);

            GameyeException missing = Failure(() => client.DescribeSessionAsync("nope").Wait(Limit));
            Assert.AreEqual(GameyeStatus.NotFound, missing.Status);
        }

        [Test]
        public void CancellingAnAsyncCallCancelsItsTask()
        {
            using (var cancellation = new CancellationTokenSource())
            {
                // A slow answer, injected through the emulator's admin API.
                Admin("/_mock/faults", "{\"operation\":\"session-list\",\"delay_ms\":20000,\"times\":1}");
                Task<System.Collections.Generic.IReadOnlyList<Session>> slow = client.ListSessionsAsync(null, cancellation.Token);
                cancellation.Cancel();
                try
                {
                    slow.Wait(Limit);
                    Assert.Fail("the task was not cancelled");
                }
                catch (AggregateException aggregate)
                {
                    Assert.IsInstanceOf<TaskCanceledException>(aggregate.InnerException);
                }
                Assert.IsTrue(slow.IsCanceled);
            }
        }

        [Test]
        public void DisposingTheClientEndsItsPendingTasks()
        {
            Admin("/_mock/faults", "{\"operation\":\"describe-session\",\"delay_ms\":20000,\"times\":3}");
            GameyeClient doomed = NewClient();
            Task<Session>[] pending = Enumerable.Range(0, 3).Select(i => doomed.DescribeSessionAsync("x" + i)).ToArray();
            doomed.Dispose();
            foreach (Task<Session> task in pending)
            {
                Assert.IsTrue(((Task)task).ContinueWith(t => { }).Wait(Limit));
                Assert.IsTrue(task.IsCanceled, "cancelled when the client was disposed");
            }
        }

        /// <summary>Records reports as they come (Progress&lt;T&gt; would post them to a context).</summary>
        private sealed class Recorder : IProgress<DownloadProgress>
        {
            public int Reports;
            public ulong Last;

            public void Report(DownloadProgress value)
            {
                Interlocked.Increment(ref Reports);
                Last = value.Received;
            }
        }

        [Test]
        public void FollowedLogsArriveLineByLineAndEndWhenTheSessionStops()
        {
            StartedSession started = client.StartSession(new StartSessionOptions { Location = "europe", Image = "nginx" });
            using (LogStream stream = client.FollowLogs(started.Id, 30000))
            {
                string first = Await(stream.ReadLineAsync());
                StringAssert.Contains("[gameye]", first);
                Admin("/_mock/sessions/" + started.Id + "/log", "a line from the test");
                string line;
                do
                {
                    line = Await(stream.ReadLineAsync());
                } while (line != null && !line.Contains("a line from the test"));
                Assert.IsNotNull(line, "the written line arrived");
                client.StopSession(started.Id);
                while (Await(stream.ReadLineAsync()) != null)
                {
                }
                Assert.IsTrue(stream.Ended);
                Assert.IsFalse(stream.TryReadLine(out line));
            }
            StartedSession other = client.StartSession(new StartSessionOptions { Location = "europe", Image = "nginx" });
            using (LogStream stream = Await(client.FollowLogsAsync(other.Id)))
            {
                Assert.IsNotNull(Await(stream.ReadLineAsync()));
                stream.Cancel();
                var cancelled = Unwrapped(stream.ReadLineAsync()) as GameyeException;
                Assert.IsNotNull(cancelled);
                Assert.AreEqual(GameyeStatus.Cancelled, cancelled.Status);
            }
        }

        [Test]
        public void DownloadsReportTheirProgress()
        {
            Admin("/_mock/artifact-padding", "{\"bytes\": 3000000}");
            StartedSession started = client.StartSession(new StartSessionOptions { Location = "europe", Image = "nginx" });
            client.StopSession(started.Id);
            string archive = Path.Combine(Path.GetTempPath(), "gameye-cs-" + Guid.NewGuid().ToString("N") + ".tar.gz");
            var blocking = new Recorder();
            ulong bytes = client.DownloadArtifact(started.Id, "/x", archive, 0, blocking);
            Assert.Greater(blocking.Reports, 0);
            Assert.AreEqual(bytes, blocking.Last);
            var async = new Recorder();
            Assert.AreEqual(bytes, Await(client.DownloadArtifactAsync(started.Id, "/x", archive, 0, default(CancellationToken), async)));
            Assert.Greater(async.Reports, 0);
            File.Delete(archive);
        }

        [Test]
        public void AStopCompletesPromptlyWhileMoreDownloadsThanWorkersRun()
        {
            const int N = 6; // more than the default four workers
            Admin("/_mock/artifact-padding", "{\"bytes\": 8000000}");
            StartedSession finished = client.StartSession(new StartSessionOptions { Location = "europe", Image = "nginx" });
            StartedSession target = client.StartSession(new StartSessionOptions { Location = "europe", Image = "nginx" });
            client.StopSession(finished.Id);
            Admin("/_mock/faults", "{\"operation\":\"artifacts\",\"bytes_per_second\":65536,\"times\":" + N + "}");
            var stopDownloads = new CancellationTokenSource();
            var downloads = Enumerable.Range(0, N).Select(i => client.DownloadArtifactAsync(finished.Id, "/core",
                Path.Combine(Path.GetTempPath(), "gameye-cs-lane-" + Guid.NewGuid().ToString("N") + ".tar.gz"), 0,
                stopDownloads.Token)).ToArray();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int running = 0;
            while ((running = Received().Split(new[] { "/artifacts" }, StringSplitOptions.None).Length - 1) < N)
            {
                Assert.Less(clock.Elapsed, TimeSpan.FromSeconds(10), running + " of " + N + " downloads reached the server");
                Thread.Sleep(20);
            }
            clock.Restart();
            Assert.IsTrue(client.StopSessionAsync(target.Id).Wait(Limit));
            Assert.Less(clock.Elapsed, TimeSpan.FromSeconds(3), "the stop did not queue behind the downloads");
            Assert.IsTrue(downloads.All(d => !d.IsCompleted), "the downloads still run");
            stopDownloads.Cancel();
            foreach (var download in downloads)
            {
                Assert.IsInstanceOf<OperationCanceledException>(Unwrapped(download));
            }
        }

        [Test]
        public void TheLogHookHearsEveryRequestButNeverTheToken()
        {
            var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using (var logged = new GameyeClient(new GameyeClientOptions
            {
                BaseUrl = Url, Token = "test-token", Retries = 0, Log = (level, line) => lines.Enqueue(level + " " + line),
            }))
            {
                logged.ListSessions();
                Failure(() => logged.DescribeSession("nope"));
                using (GameyeClient derived = logged.WithRetry(0, 0, 0))
                {
                    logged.Dispose(); // the derived client keeps the hook
                    derived.ListSessions();
                }
            }
            string[] all = lines.ToArray();
            Assert.AreEqual(3, all.Length, string.Join("\n", all));
            StringAssert.StartsWith("Info GET /session -> 200", all[0]);
            StringAssert.StartsWith("Warn GET /session/nope -> 404", all[1]);
            Assert.IsFalse(all.Any(line => line.Contains("test-token")));
        }

        [Test]
        public void SettingsAreChecked()
        {
            GameyeException pem = Failure(() => new GameyeClient(new GameyeClientOptions
            {
                BaseUrl = Url, Token = "test-token", CaCertificatesPem = "not a certificate",
            }));
            Assert.AreEqual(GameyeStatus.InvalidArgument, pem.Status);
            GameyeException small = Failure(() => new GameyeClient(new GameyeClientOptions { BaseUrl = Url, Token = "t", MaxBodyBytes = 10 }));
            Assert.AreEqual(GameyeStatus.InvalidArgument, small.Status);
            using (var tuned = new GameyeClient(new GameyeClientOptions
            {
                BaseUrl = Url, Token = "test-token", ConnectTimeoutMs = 2000, MaxBodyBytes = 1 << 20, AllowInsecureHttp = true,
            }))
            {
                Assert.AreEqual(0, tuned.ListSessions().Count);
            }
        }

        private static Task<Session> DescribeFromAClientNobodyKeeps(string id)
        {
            return NewClient().DescribeSessionAsync(id); // the client is referenced by its pending call only
        }

        [Test]
        public void APendingCallKeepsItsClientAliveAndACancelAfterwardsDoesNothing()
        {
            StartedSession started = client.StartSession(new StartSessionOptions { Location = "europe", Image = "nginx" });
            Admin("/_mock/faults", "{\"operation\":\"describe-session\",\"delay_ms\":1000,\"times\":1}");
            Task<Session> pending = DescribeFromAClientNobodyKeeps(started.Id);
            for (int i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            Assert.AreEqual(started.Id, Await(pending).Id, "not cancelled by a finalizer mid-request");

            using (var late = new CancellationTokenSource())
            {
                Task<bool> done = client.TagExistsAsync("europe", "nginx", "latest", late.Token);
                Assert.IsTrue(Await(done));
                late.Cancel(); // after: nothing happens
                Assert.IsTrue(done.Status == TaskStatus.RanToCompletion);
            }
        }

        [Test]
        public void UnloadingADomainWithRequestsInFlightEndsThem()
        {
            Admin("/_mock/faults", "{\"operation\":\"describe-session\",\"delay_ms\":20000,\"times\":4}");
            AppDomain child = AppDomain.CreateDomain("gameye-child", null, AppDomain.CurrentDomain.SetupInformation);
            var worker = (DomainWorker)child.CreateInstanceAndUnwrap(typeof(DomainWorker).Assembly.FullName, typeof(DomainWorker).FullName);
            worker.StartRequests(Url, 4);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            AppDomain.Unload(child); // DomainUnload disposes the child's clients: their requests end first
            Assert.Less(clock.Elapsed, TimeSpan.FromSeconds(10), "the unload did not wait for the 20 s answers");
            // This domain's client still works.
            Assert.IsNotNull(client.ListSessions());
        }

        /// <summary>The library's threads in this process, by name (Linux), or -1 where /proc is not there.</summary>
        private static int NativeThreads()
        {
            if (!Directory.Exists("/proc/self/task"))
            {
                return -1;
            }
            return Directory.GetDirectories("/proc/self/task").Count(task =>
            {
                try { return File.ReadAllText(Path.Combine(task, "comm")).StartsWith("gameye-"); }
                catch (IOException) { return false; } // the thread ended meanwhile
            });
        }

        [Test]
        public void UnloadingADomainFreesTheClientsItDroppedWithoutDispose()
        {
            if (NativeThreads() < 0)
            {
                Assert.Ignore("counts threads through /proc, which this platform has not");
            }
            for (int round = 0; round < 5; round++)
            {
                // Clients other tests dropped are freed first, so the count is this test's alone.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                int before = NativeThreads();
                AppDomain child = AppDomain.CreateDomain("gameye-dropped", null, AppDomain.CurrentDomain.SetupInformation);
                var worker = (DomainWorker)child.CreateInstanceAndUnwrap(typeof(DomainWorker).Assembly.FullName, typeof(DomainWorker).FullName);
                worker.DropAClientWithThreads(Url);
                Assert.Greater(NativeThreads(), before, "the dropped client's threads run");
                AppDomain.Unload(child);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (NativeThreads() > before && clock.Elapsed < TimeSpan.FromSeconds(10))
                {
                    Thread.Sleep(20);
                }
                Assert.AreEqual(before, NativeThreads(), "round " + round + ": the unload freed the dropped client and its threads");
            }
        }

        [Test]
        public void TheNativeLibraryIsFound()
        {
            StringAssert.StartsWith("0.", GameyeClient.NativeVersion);
        }
    }
}
