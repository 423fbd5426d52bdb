// acg2vec for C#: a safe API over the C library (Native.cs). Every library object is a
// SafeHandle freed on Dispose (or by the finalizer); every failed call throws Acg2vecException
// with the library's status and message, which names the input and the reason. A task keeps
// its model alive inside the library, so a Model may be disposed right after its tasks are made.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Acg2vec
{
    // The library's status codes.
    public enum Status
    {
        Ok = 0, InvalidArgument = 1, InvalidImage = 2, UnsupportedFormat = 3, ImageTooLarge = 4, ModelLoad = 5,
        ModelMetadata = 6, ShapeMismatch = 7, IO = 8, IndexFormat = 9, NotFound = 10, Inference = 11, Device = 12,
        Internal = 13,
    }

    // A failed call: Status, Code ("invalid_image") and the library's message.
    public sealed class Acg2vecException : Exception
    {
        public Status Status { get; }
        public string Code { get { return Library.Utf8(Native.acg2vec_status_name((int)Status)); } }

        public Acg2vecException(Status status, string message) : base(message) { Status = status; }

        public override string ToString() { return Message + " (" + Code + ")"; }
    }

    // A pointer handed out by the library, released by its acg2vec_*_free function.
    public abstract class LibraryHandle : SafeHandle
    {
        protected LibraryHandle(IntPtr pointer) : base(IntPtr.Zero, true) { SetHandle(pointer); }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        // The pointer for a call; ObjectDisposedException after Dispose.
        internal IntPtr Pointer
        {
            get
            {
                if (IsClosed) throw new ObjectDisposedException(GetType().Name);
                return handle;
            }
        }
    }

    public static class Library
    {
        // "MAJOR.MINOR.PATCH" of the loaded library.
        public static string Version { get { return Utf8(Native.acg2vec_version()); } }

        // Throws when the loaded library has another ABI than these declarations.
        public static void CheckAbi()
        {
            int library = Native.acg2vec_abi_version();
            if (library != Native.ACG2VEC_ABI_VERSION)
                throw new Acg2vecException(Status.InvalidArgument,
                    "the library has ABI " + library + ", this binding " + Native.ACG2VEC_ABI_VERSION);
        }

        // Throws the calling thread's last error when status is not ok (call right after the call).
        internal static void Check(int status)
        {
            if (status != 0) throw new Acg2vecException((Status)status, Utf8(Native.acg2vec_last_error()));
        }

        // A NUL-terminated UTF-8 string owned by the library ("" for NULL).
        internal static string Utf8(IntPtr text)
        {
            if (text == IntPtr.Zero) return "";
            int length = 0;
            while (Marshal.ReadByte(text, length) != 0) ++length;
            var bytes = new byte[length];
            Marshal.Copy(text, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }

        // An acg2vec_strings list as strings, then freed.
        internal static List<string> TakeStrings(IntPtr list)
        {
            try
            {
                UIntPtr count;
                Check(Native.acg2vec_strings_count(list, out count));
                var result = new List<string>();
                for (ulong i = 0; i < count.ToUInt64(); ++i)
                {
                    IntPtr item;
                    Check(Native.acg2vec_strings_get(list, new UIntPtr(i), out item));
                    result.Add(Utf8(item));
                }
                return result;
            }
            finally
            {
                Native.acg2vec_strings_free(list);
            }
        }

        // An acg2vec_ids list, then freed.
        internal static long[] TakeIds(IntPtr ids)
        {
            try
            {
                IntPtr data;
                UIntPtr count;
                Check(Native.acg2vec_ids_data(ids, out data, out count));
                var result = new long[(int)count.ToUInt64()];
                if (result.Length > 0) Marshal.Copy(data, result, 0, result.Length);
                return result;
            }
            finally
            {
                Native.acg2vec_ids_free(ids);
            }
        }

        // A vector's floats, copied.
        internal static float[] Floats(IntPtr vector)
        {
            IntPtr data;
            UIntPtr size;
            Check(Native.acg2vec_vector_data(vector, out data, out size));
            var result = new float[(int)size.ToUInt64()];
            if (result.Length > 0) Marshal.Copy(data, result, 0, result.Length);
            return result;
        }

        // A vector's floats, then the vector freed.
        internal static float[] TakeVector(IntPtr vector)
        {
            try { return Floats(vector); }
            finally { Native.acg2vec_vector_free(vector); }
        }

        // The image files under files and folders (folders recursively, by extension), sorted:
        // what `acg2vec index build` indexes.
        public static List<string> ListImageFiles(params string[] inputs)
        {
            IntPtr list;
            Check(Native.acg2vec_list_image_files(inputs, new UIntPtr((ulong)inputs.Length), out list));
            return TakeStrings(list);
        }
    }
}
