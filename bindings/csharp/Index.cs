// The HNSW index with string keys (VectorIndex: System.Index is taken).
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Acg2vec
{
    public struct Hit
    {
        public string Key;
        public float Distance;  // smaller is closer (1 - cosine for cosine)
        public float Score;     // larger is closer (the cosine for cosine)
    }

    // What an index of an embedder's vectors records and expects: dimension, cosine, the
    // model's name and fingerprint. Its strings belong to the embedder, which it keeps.
    public sealed class IndexOptions
    {
        internal acg2vec_index_options Raw;
        readonly Embedder embedder;

        public IndexOptions(Embedder embedder)
        {
            this.embedder = embedder;
            Library.Check(Native.acg2vec_index_options_init(ref Raw));
            Library.Check(Native.acg2vec_embedder_index_options(embedder.Pointer, ref Raw));
        }

        public int Dimension { get { return (int)Raw.dimension.ToUInt64(); } }

        internal void KeepAlive() { GC.KeepAlive(embedder); }
    }

    public sealed class VectorIndex : LibraryHandle
    {
        VectorIndex(IntPtr pointer) : base(pointer) { }
        protected override bool ReleaseHandle() { Native.acg2vec_index_free(handle); return true; }

        public static VectorIndex Create(IndexOptions options)
        {
            IntPtr index;
            Library.Check(Native.acg2vec_index_create(ref options.Raw, out index));
            options.KeepAlive();
            return new VectorIndex(index);
        }

        // Validates the whole file, and that it holds vectors of the expected model.
        public static VectorIndex Load(string path, IndexOptions expected)
        {
            IntPtr index;
            Library.Check(Native.acg2vec_index_load(path, ref expected.Raw, out index));
            expected.KeepAlive();
            return new VectorIndex(index);
        }

        // Atomic: a temporary file renamed over path.
        public void Save(string path) { Library.Check(Native.acg2vec_index_save(Pointer, path)); }

        // A new key (InvalidArgument if it is there).
        public void Add(string key, float[] vector, params string[] categories)
        {
            Library.Check(Native.acg2vec_index_add(Pointer, key, vector, new UIntPtr((ulong)vector.Length), categories,
                                                   new UIntPtr((ulong)categories.Length)));
        }

        // True when the key was there.
        public bool Remove(string key)
        {
            int removed;
            Library.Check(Native.acg2vec_index_remove(Pointer, key, out removed));
            return removed != 0;
        }

        public bool Contains(string key)
        {
            int found;
            Library.Check(Native.acg2vec_index_contains(Pointer, key, out found));
            return found != 0;
        }

        public int Count
        {
            get
            {
                UIntPtr size;
                Library.Check(Native.acg2vec_index_size(Pointer, out size));
                return (int)size.ToUInt64();
            }
        }

        // The stored vector (normalised for cosine); NotFound for an absent key.
        public float[] Get(string key)
        {
            IntPtr vector;
            Library.Check(Native.acg2vec_index_get(Pointer, key, out vector));
            return Library.TakeVector(vector);
        }

        public List<string> Keys()
        {
            IntPtr list;
            Library.Check(Native.acg2vec_index_keys(Pointer, out list));
            return Library.TakeStrings(list);
        }

        public List<string> Categories(string key)
        {
            IntPtr list;
            Library.Check(Native.acg2vec_index_categories(Pointer, key, out list));
            return Library.TakeStrings(list);
        }

        // Up to k hits, nearest first; with categories, only items carrying one of them.
        public List<Hit> Search(float[] query, int k, params string[] categories)
        {
            var filter = new acg2vec_search_filter();
            Library.Check(Native.acg2vec_search_filter_init(ref filter));
            var names = Array.ConvertAll(categories, Marshal.StringToHGlobalAnsi);
            var array = GCHandle.Alloc(names, GCHandleType.Pinned);
            IntPtr result;
            try
            {
                filter.any_category = names.Length > 0 ? array.AddrOfPinnedObject() : IntPtr.Zero;
                filter.category_count = new UIntPtr((ulong)names.Length);
                Library.Check(Native.acg2vec_index_search(Pointer, query, new UIntPtr((ulong)query.Length),
                                                          new UIntPtr((ulong)k), UIntPtr.Zero, ref filter, out result));
            }
            finally
            {
                array.Free();
                foreach (var n in names) Marshal.FreeHGlobal(n);
            }
            try
            {
                UIntPtr count;
                Library.Check(Native.acg2vec_search_result_count(result, out count));
                var hits = new List<Hit>();
                for (ulong i = 0; i < count.ToUInt64(); ++i)
                {
                    IntPtr key;
                    float distance, score;
                    Library.Check(Native.acg2vec_search_result_get(result, new UIntPtr(i), out key, out distance, out score));
                    hits.Add(new Hit { Key = Library.Utf8(key), Distance = distance, Score = score });
                }
                return hits;
            }
            finally
            {
                Native.acg2vec_search_result_free(result);
            }
        }
    }
}
