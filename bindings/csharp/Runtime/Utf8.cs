// UTF-8 strings across the boundary, copied both ways (never a `string` in a native signature).
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Gameye
{
    internal static class Utf8
    {
        /// <summary>A NUL-terminated UTF-8 copy of `text` (null stays null).</summary>
        public static byte[] Encode(string text)
        {
            if (text == null)
            {
                return null;
            }
            int length = Encoding.UTF8.GetByteCount(text);
            byte[] bytes = new byte[length + 1];
            Encoding.UTF8.GetBytes(text, 0, text.Length, bytes, 0);
            return bytes;
        }

        /// <summary>A managed copy of a NUL-terminated UTF-8 string the library owns; null for NULL.</summary>
        public static string Decode(IntPtr text)
        {
            if (text == IntPtr.Zero)
            {
                return null;
            }
            int length = 0;
            while (Marshal.ReadByte(text, length) != 0)
            {
                length++;
            }
            return Decode(text, length);
        }

        /// <summary>A managed copy of `length` UTF-8 bytes.</summary>
        public static string Decode(IntPtr text, int length)
        {
            if (text == IntPtr.Zero || length == 0)
            {
                return text == IntPtr.Zero ? null : string.Empty;
            }
            byte[] bytes = new byte[length];
            Marshal.Copy(text, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }
    }

    /// <summary>An array of NUL-terminated UTF-8 strings in unmanaged memory, for player ids.</summary>
    internal sealed class Utf8Array : IDisposable
    {
        public readonly IntPtr[] Pointers;

        public Utf8Array(string[] items)
        {
            Pointers = new IntPtr[items == null ? 0 : items.Length];
            for (int i = 0; i < Pointers.Length; i++)
            {
                byte[] bytes = Utf8.Encode(items[i] ?? string.Empty);
                Pointers[i] = Marshal.AllocHGlobal(bytes.Length);
                Marshal.Copy(bytes, 0, Pointers[i], bytes.Length);
            }
        }

        public UIntPtr Count { get { return (UIntPtr)Pointers.Length; } }

        public void Dispose()
        {
            for (int i = 0; i < Pointers.Length; i++)
            {
                if (Pointers[i] != IntPtr.Zero)
                {
                    Marshal.FreeHGlobal(Pointers[i]);
                    Pointers[i] = IntPtr.Zero;
                }
            }
        }
    }
}
