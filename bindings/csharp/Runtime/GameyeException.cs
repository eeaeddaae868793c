using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Gameye
{
    /// <summary>A field-level validation failure (HTTP 422).</summary>
    public sealed class Violation
    {
        /// <summary>The request field that failed, e.g. "location".</summary>
        public string Field { get; internal set; }
        /// <summary>Why it failed, as the API said.</summary>
        public string Description { get; internal set; }
    }

    /// <summary>A failed call: the status, the HTTP status, and every field of the API's ErrorResponse.</summary>
    public sealed class GameyeException : Exception
    {
        /// <summary>The failure's class (Unauthorized, NotFound, Timeout, ...).</summary>
        public GameyeStatus Status { get; private set; }
        /// <summary>0 when there was no HTTP response.</summary>
        public int HttpStatus { get; private set; }
        /// <summary>The API's error code; null when none.</summary>
        public string Code { get; private set; }
        /// <summary>The API's details; null when none.</summary>
        public string Details { get; private set; }
        /// <summary>The request path the API reports; null when none.</summary>
        public string Path { get; private set; }
        /// <summary>When the API answered, as it wrote it; null when none.</summary>
        public string Timestamp { get; private set; }
        /// <summary>Quote it to Gameye support.</summary>
        public string Identifier { get; private set; }
        /// <summary>Attempts made before giving up (1 when not retried).</summary>
        public int Attempts { get; private set; }
        /// <summary>The library's advice (a 401's sandbox/production note, a Retry-After wait); null when none.</summary>
        public string Hint { get; private set; }
        /// <summary>A failed start: the session id it sent (a server may exist under it: describe or stop it); else null.</summary>
        public string SessionId { get; private set; }
        /// <summary>The field-level failures of a 422; empty otherwise.</summary>
        public IReadOnlyList<Violation> Violations { get; private set; }

        internal GameyeException(GameyeStatus status, string message) : base(message)
        {
            Status = status;
            Violations = new ReadOnlyCollection<Violation>(new List<Violation>());
        }

        /// <summary>Copies a native error (then frees it) into an exception.</summary>
        internal static GameyeException FromNative(int status, IntPtr error)
        {
            using (var handle = new ResultHandle(error, NativeMethods.gameye_error_free))
            {
                return Copy(status, error);
            }
        }

        /// <summary>Copies a native error into an exception, leaving it to its owner (a borrowed error).</summary>
        internal static GameyeException Copy(int status, IntPtr error)
        {
            var exception = new GameyeException((GameyeStatus)status, Utf8.Decode(NativeMethods.gameye_error_message(error))
                ?? Utf8.Decode(NativeMethods.gameye_status_name(status)));
            if (error == IntPtr.Zero)
            {
                return exception;
            }
            var violations = new List<Violation>();
            int count = checked((int)NativeMethods.gameye_error_violation_count(error).ToUInt64());
            for (int i = 0; i < count; i++)
            {
                violations.Add(new Violation
                {
                    Field = Utf8.Decode(NativeMethods.gameye_error_violation_field(error, (UIntPtr)i)),
                    Description = Utf8.Decode(NativeMethods.gameye_error_violation_description(error, (UIntPtr)i)),
                });
            }
            exception.HttpStatus = NativeMethods.gameye_error_http_status(error);
            exception.Code = Utf8.Decode(NativeMethods.gameye_error_code(error));
            exception.Details = Utf8.Decode(NativeMethods.gameye_error_details(error));
            exception.Path = Utf8.Decode(NativeMethods.gameye_error_path(error));
            exception.Timestamp = Utf8.Decode(NativeMethods.gameye_error_timestamp(error));
            exception.Identifier = Utf8.Decode(NativeMethods.gameye_error_identifier(error));
            exception.Attempts = (int)NativeMethods.gameye_error_attempts(error);
            exception.Hint = Utf8.Decode(NativeMethods.gameye_error_hint(error));
            exception.SessionId = Utf8.Decode(NativeMethods.gameye_error_session_id(error));
            exception.Violations = new ReadOnlyCollection<Violation>(violations);
            return exception;
        }

        /// <summary>Throws for a failed setter or call status.</summary>
        internal static void ThrowIfFailed(int status, string what)
        {
            if (status != 0)
            {
                throw new GameyeException((GameyeStatus)status, what + ": " + Utf8.Decode(NativeMethods.gameye_status_name(status)));
            }
        }
    }

    /// <summary>
    /// A start that was cancelled after it was sent: the session may exist. SessionId is the id
    /// the request carried; describe or stop it. Catch it as an OperationCanceledException.
    /// </summary>
    public sealed class SessionStartCanceledException : OperationCanceledException
    {
        /// <summary>The id of the session the start sent: it may exist; describe or stop it.</summary>
        public string SessionId { get; private set; }

        /// <summary>A start cancelled after it was sent, naming `sessionId`; `token` is the caller's.</summary>
        public SessionStartCanceledException(string sessionId, System.Threading.CancellationToken token)
            : base("The start of session " + sessionId + " was cancelled; the session may exist.", token)
        {
            SessionId = sessionId;
        }
    }
}
