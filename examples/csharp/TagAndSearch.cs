// Tags every image of a folder, builds a cosine index of their vectors, saves and reloads it,
// then searches it by the folder's first image and by a text: the C++ tag_and_search through
// the C ABI with P/Invoke. Every library object is a SafeHandle that frees it on Dispose.
// Usage: mono TagAndSearch.exe TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH
// (libacg2vec.so found through LD_LIBRARY_PATH).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Acg2vec.Example
{
    // A failed library call: its status name and acg2vec_last_error()'s message.
    sealed class LibraryException : Exception
    {
        public LibraryException(string message) : base(message) { }

        // Throws when status is not ACG2VEC_OK (0); call right after the failed call, on its thread.
        public static void Check(int status)
        {
            if (status != 0)
                throw new LibraryException(Native.Utf8(Native.acg2vec_status_name(status)) + ": " +
                                           Native.Utf8(Native.acg2vec_last_error()));
        }
    }

    // A pointer handed out by the library, released by its acg2vec_*_free function.
    abstract class LibraryHandle : SafeHandle
    {
        protected LibraryHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
    }

    sealed class ModelHandle : LibraryHandle
    {
        protected override bool ReleaseHandle() { Native.acg2vec_model_free(handle); return true; }
    }

    sealed class TaggerHandle : LibraryHandle
    {
        protected override bool ReleaseHandle() { Native.acg2vec_tagger_free(handle); return true; }
    }

    sealed class TagResultHandle : LibraryHandle
    {
        protected override bool ReleaseHandle() { Native.acg2vec_tag_result_free(handle); return true; }
    }

    sealed class EmbedderHandle : LibraryHandle
    {
        protected override bool ReleaseHandle() { Native.acg2vec_embedder_free(handle); return true; }
    }

    sealed class VectorHandle : LibraryHandle
    {
        protected override bool ReleaseHandle() { Native.acg2vec_vector_free(handle); return true; }
    }

    sealed class IndexHandle : LibraryHandle
    {
        protected override bool ReleaseHandle() { Native.acg2vec_index_free(handle); return true; }
    }

    sealed class SearchResultHandle : LibraryHandle
    {
        protected override bool ReleaseHandle() { Native.acg2vec_search_result_free(handle); return true; }
    }

    // acg2vec_image_input, field for field (pointers as IntPtr, size_t as UIntPtr, enum as int).
    [StructLayout(LayoutKind.Sequential)]
    struct ImageInput
    {
        public int Source;
        public IntPtr Text;
        public IntPtr Data;
        public UIntPtr Size;
        public IntPtr Image;
        public IntPtr Name;
    }

    // The input of an image file. Its path is pinned UTF-8 until Dispose, because Input holds
    // the address the library reads during the call.
    sealed class ImageFile : IDisposable
    {
        GCHandle path;
        public ImageInput Input;

        public ImageFile(string path)
        {
            this.path = GCHandle.Alloc(Native.Utf8(path), GCHandleType.Pinned);
            Input.Source = Native.ImageSourceFile;
            Input.Text = this.path.AddrOfPinnedObject();
        }

        public void Dispose() { path.Free(); }
    }

    // acg2vec_index_options, field for field (size_t as UIntPtr, enum as int).
    [StructLayout(LayoutKind.Sequential)]
    struct IndexOptions
    {
        public UIntPtr StructSize;
        public UIntPtr Dimension;
        public int Metric;
        public UIntPtr M;
        public UIntPtr EfConstruction;
        public UIntPtr EfSearch;
        public UIntPtr InitialCapacity;
        public ulong Seed;
        public IntPtr ModelName;
        public IntPtr ModelFingerprint;
    }

    // The C functions this example uses (capi/acg2vec.h). Strings go in as NUL-terminated UTF-8
    // bytes and come out as IntPtr read with Utf8.
    static class Native
    {
        const string Library = "acg2vec";
        public const int AbiVersion = 2; // ACG2VEC_ABI_VERSION these declarations follow
        public const int ImageSourceFile = 0; // ACG2VEC_IMAGE_FILE

        [DllImport(Library)] public static extern int acg2vec_abi_version();
        [DllImport(Library)] public static extern IntPtr acg2vec_status_name(int status);
        [DllImport(Library)] public static extern IntPtr acg2vec_last_error();
        [DllImport(Library)] public static extern void acg2vec_string_free(IntPtr text);

        [DllImport(Library)]
        public static extern int acg2vec_model_open(byte[] path, IntPtr options, out ModelHandle model);
        [DllImport(Library)] public static extern void acg2vec_model_free(IntPtr model);

        [DllImport(Library)]
        public static extern int acg2vec_tagger_create(ModelHandle model, IntPtr tagOptions, IntPtr decodeOptions,
                                                       out TaggerHandle tagger);
        [DllImport(Library)] public static extern void acg2vec_tagger_free(IntPtr tagger);
        [DllImport(Library)]
        public static extern int acg2vec_tagger_tag(TaggerHandle tagger, ref ImageInput input,
                                                    out TagResultHandle result);
        [DllImport(Library)] public static extern int acg2vec_tag_result_rating(TagResultHandle result, out IntPtr name);
        [DllImport(Library)]
        public static extern int acg2vec_tag_result_caption(TagResultHandle result, IntPtr separator, out IntPtr caption);
        [DllImport(Library)] public static extern void acg2vec_tag_result_free(IntPtr result);

        [DllImport(Library)]
        public static extern int acg2vec_embedder_create(ModelHandle model, IntPtr embedOptions, IntPtr decodeOptions,
                                                         out EmbedderHandle embedder);
        [DllImport(Library)] public static extern void acg2vec_embedder_free(IntPtr embedder);
        [DllImport(Library)]
        public static extern int acg2vec_embedder_index_options(EmbedderHandle embedder, out IndexOptions options);
        [DllImport(Library)]
        public static extern int acg2vec_embedder_embed(EmbedderHandle embedder, ref ImageInput input,
                                                        out VectorHandle vector);
        [DllImport(Library)]
        public static extern int acg2vec_embedder_embed_text(EmbedderHandle embedder, byte[] text, out VectorHandle vector);
        [DllImport(Library)]
        public static extern int acg2vec_vector_data(VectorHandle vector, out IntPtr data, out UIntPtr size);
        [DllImport(Library)] public static extern void acg2vec_vector_free(IntPtr vector);

        [DllImport(Library)] public static extern int acg2vec_index_create(ref IndexOptions options, out IndexHandle index);
        [DllImport(Library)]
        public static extern int acg2vec_index_load(byte[] path, ref IndexOptions expected, out IndexHandle index);
        [DllImport(Library)] public static extern int acg2vec_index_save(IndexHandle index, byte[] path);
        [DllImport(Library)] public static extern void acg2vec_index_free(IntPtr index);
        [DllImport(Library)]
        public static extern int acg2vec_index_add(IndexHandle index, byte[] key, float[] vector, UIntPtr dimension,
                                                   IntPtr categories, UIntPtr categoryCount);
        [DllImport(Library)] public static extern int acg2vec_index_size(IndexHandle index, out UIntPtr size);
        [DllImport(Library)]
        public static extern int acg2vec_index_search(IndexHandle index, float[] query, UIntPtr dimension, UIntPtr k,
                                                      UIntPtr ef, IntPtr filter, out SearchResultHandle result);
        [DllImport(Library)]
        public static extern int acg2vec_search_result_count(SearchResultHandle result, out UIntPtr count);
        [DllImport(Library)]
        public static extern int acg2vec_search_result_get(SearchResultHandle result, UIntPtr index, out IntPtr key,
                                                           out float distance, out float score);
        [DllImport(Library)] public static extern void acg2vec_search_result_free(IntPtr result);

        // NUL-terminated UTF-8 for a const char* parameter.
        public static byte[] Utf8(string text)
        {
            return Encoding.UTF8.GetBytes(text + "\0");
        }

        // Copies a NUL-terminated UTF-8 string owned by the library.
        public static string Utf8(IntPtr text)
        {
            int length = 0;
            while (Marshal.ReadByte(text, length) != 0) ++length;
            byte[] bytes = new byte[length];
            Marshal.Copy(text, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }
    }

    static class Program
    {
        const string QueryText = "a girl with long hair";
        static readonly string[] ImageExtensions = { ".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tga", ".psd" };

        // The folder's decodable images (by extension), sorted by file name.
        static List<string> ListImages(string folder)
        {
            var images = new List<string>();
            foreach (string path in Directory.GetFiles(folder))
                if (Array.IndexOf(ImageExtensions, Path.GetExtension(path).ToLowerInvariant()) >= 0) images.Add(path);
            images.Sort((a, b) => string.CompareOrdinal(Path.GetFileName(a), Path.GetFileName(b)));
            if (images.Count == 0) throw new IOException("no images in " + folder);
            return images;
        }

        // Opens a model file. The tasks created on it keep it alive, so callers dispose it right after.
        static ModelHandle OpenModel(string path)
        {
            ModelHandle model;
            LibraryException.Check(Native.acg2vec_model_open(Native.Utf8(path), IntPtr.Zero, out model));
            return model;
        }

        // Prints "path [rating] caption" for every image.
        static void TagImages(string modelPath, List<string> images)
        {
            TaggerHandle tagger;
            using (ModelHandle model = OpenModel(modelPath)) // the tagger keeps the model alive
                LibraryException.Check(Native.acg2vec_tagger_create(model, IntPtr.Zero, IntPtr.Zero, out tagger));
            using (tagger)
            {
                foreach (string image in images)
                {
                    TagResultHandle tags;
                    using (var file = new ImageFile(image))
                        LibraryException.Check(Native.acg2vec_tagger_tag(tagger, ref file.Input, out tags));
                    using (tags)
                    {
                        IntPtr rating, caption; // rating is owned by tags, caption is ours
                        LibraryException.Check(Native.acg2vec_tag_result_rating(tags, out rating));
                        LibraryException.Check(Native.acg2vec_tag_result_caption(tags, IntPtr.Zero, out caption));
                        try
                        {
                            Console.WriteLine("{0} [{1}] {2}", image, Native.Utf8(rating), Native.Utf8(caption));
                        }
                        finally
                        {
                            Native.acg2vec_string_free(caption);
                        }
                    }
                }
            }
        }

        // Copies a vector's floats and frees it.
        static float[] TakeFloats(int status, VectorHandle vector)
        {
            LibraryException.Check(status);
            using (vector)
            {
                IntPtr data;
                UIntPtr size;
                LibraryException.Check(Native.acg2vec_vector_data(vector, out data, out size));
                var floats = new float[(int)size];
                Marshal.Copy(data, floats, 0, floats.Length);
                return floats;
            }
        }

        static float[] EmbedFile(EmbedderHandle embedder, string path)
        {
            VectorHandle vector;
            int status;
            using (var file = new ImageFile(path))
                status = Native.acg2vec_embedder_embed(embedder, ref file.Input, out vector);
            return TakeFloats(status, vector);
        }

        static float[] EmbedText(EmbedderHandle embedder, string text)
        {
            VectorHandle vector;
            int status = Native.acg2vec_embedder_embed_text(embedder, Native.Utf8(text), out vector);
            return TakeFloats(status, vector);
        }

        // Prints the 3 keys nearest to a vector, nearest first, with their distance (1 - cosine).
        static void PrintNearest(IndexHandle index, float[] query)
        {
            SearchResultHandle hits;
            LibraryException.Check(Native.acg2vec_index_search(index, query, (UIntPtr)query.Length, (UIntPtr)3,
                                                               UIntPtr.Zero, IntPtr.Zero, out hits));
            using (hits)
            {
                UIntPtr count;
                LibraryException.Check(Native.acg2vec_search_result_count(hits, out count));
                for (uint i = 0; i < (uint)count; ++i)
                {
                    IntPtr key; // owned by hits
                    float distance, score;
                    LibraryException.Check(Native.acg2vec_search_result_get(hits, (UIntPtr)i, out key, out distance,
                                                                            out score));
                    Console.WriteLine("  {0}. {1} (distance {2})", i + 1, Native.Utf8(key),
                                      ((double)distance).ToString("F6", CultureInfo.InvariantCulture));
                }
            }
        }

        // Indexes the image vectors by file name, saves and reloads the index, and searches it.
        static void IndexAndSearch(string modelPath, List<string> images, string indexPath)
        {
            EmbedderHandle embedder;
            using (ModelHandle model = OpenModel(modelPath)) // the embedder keeps the model alive
                LibraryException.Check(Native.acg2vec_embedder_create(model, IntPtr.Zero, IntPtr.Zero, out embedder));
            using (embedder)
            {
                // A cosine index of the embedder's dimension, recording the model's name and
                // fingerprint (strings owned by the embedder: used only inside this block).
                IndexOptions options;
                LibraryException.Check(Native.acg2vec_embedder_index_options(embedder, out options));
                IndexHandle index;
                LibraryException.Check(Native.acg2vec_index_create(ref options, out index));
                using (index)
                {
                    foreach (string image in images)
                    {
                        float[] vector = EmbedFile(embedder, image);
                        LibraryException.Check(Native.acg2vec_index_add(index, Native.Utf8(Path.GetFileName(image)),
                                                                        vector, (UIntPtr)vector.Length, IntPtr.Zero,
                                                                        UIntPtr.Zero));
                    }
                    LibraryException.Check(Native.acg2vec_index_save(index, Native.Utf8(indexPath)));
                }

                IndexHandle loaded; // checked against options: dimension, metric and model
                LibraryException.Check(Native.acg2vec_index_load(Native.Utf8(indexPath), ref options, out loaded));
                using (loaded)
                {
                    UIntPtr size;
                    LibraryException.Check(Native.acg2vec_index_size(loaded, out size));
                    Console.WriteLine("index {0}: {1} images, {2} dimensions", indexPath, size, options.Dimension);

                    Console.WriteLine("search by image {0}:", Path.GetFileName(images[0]));
                    PrintNearest(loaded, EmbedFile(embedder, images[0]));
                    Console.WriteLine("search by text \"{0}\":", QueryText);
                    PrintNearest(loaded, EmbedText(embedder, QueryText));
                }
            }
        }

        static int Main(string[] args)
        {
            if (args.Length != 4)
            {
                Console.Error.WriteLine("usage: mono TagAndSearch.exe TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH");
                return 2;
            }
            try
            {
                if (Native.acg2vec_abi_version() != Native.AbiVersion)
                    throw new LibraryException("the library has ABI " + Native.acg2vec_abi_version() +
                                               ", this program " + Native.AbiVersion);
                List<string> images = ListImages(args[2]);
                TagImages(args[0], images);
                IndexAndSearch(args[1], images, args[3]);
            }
            catch (Exception e) when (e is LibraryException || e is IOException || e is UnauthorizedAccessException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 1;
            }
            Console.WriteLine("done");
            return 0;
        }
    }
}
