// A model file and the tasks run on it.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;

namespace Acg2vec
{
    // How a model is opened; null fields keep the library's defaults.
    public sealed class ModelOptions
    {
        public string Device;  // "cpu", "cuda", "cuda:N", "auto"
        public int? Threads;   // libtorch threads for the whole process; 0: one per core unless set
        public int? BatchSize; // images per forward pass in batch calls
    }

    public sealed class Model : LibraryHandle
    {
        Model(IntPtr pointer) : base(pointer) { }
        protected override bool ReleaseHandle() { Native.acg2vec_model_free(handle); return true; }

        public static Model Open(string path, ModelOptions options = null)
        {
            Library.CheckAbi();
            var c = new acg2vec_model_options();
            Library.Check(Native.acg2vec_model_options_init(ref c));
            IntPtr device = IntPtr.Zero;
            try
            {
                if (options != null)
                {
                    if (options.Device != null) c.device = device = Marshal.StringToHGlobalAnsi(options.Device);
                    if (options.Threads.HasValue) c.threads = options.Threads.Value;
                    if (options.BatchSize.HasValue) c.batch_size = options.BatchSize.Value;
                }
                IntPtr model;
                Library.Check(Native.acg2vec_model_open(path, ref c, out model));
                return new Model(model);
            }
            finally
            {
                if (device != IntPtr.Zero) Marshal.FreeHGlobal(device);
            }
        }

        // The model's acg2vec.json text.
        public string Metadata
        {
            get
            {
                IntPtr json;
                Library.Check(Native.acg2vec_model_metadata(Pointer, out json));
                return Library.Utf8(json);
            }
        }
    }

    // One input of a batch: its name (the path, or "batch[i]") and its result or error.
    public sealed class Outcome<T>
    {
        public string Input { get; internal set; }
        public T Result { get; internal set; }
        public Acg2vecException Error { get; internal set; }
        public bool Ok { get { return Error == null; } }
    }

    // The functions that read and free one kind of batch.
    internal delegate int BatchCount(IntPtr batch, out UIntPtr count);
    internal delegate int BatchItem(IntPtr batch, UIntPtr index, out int status, out IntPtr input, out IntPtr message);
    internal delegate int BatchResult(IntPtr batch, UIntPtr index, out IntPtr result);

    internal static class Batches
    {
        internal static List<Outcome<T>> Read<T>(IntPtr batch, BatchCount count, BatchItem item, BatchResult result,
                                                  Action<IntPtr> free, Func<IntPtr, T> read)
        {
            try
            {
                UIntPtr n;
                Library.Check(count(batch, out n));
                var outcomes = new List<Outcome<T>>();
                for (ulong i = 0; i < n.ToUInt64(); ++i)
                {
                    int status;
                    IntPtr input, message, raw;
                    Library.Check(item(batch, new UIntPtr(i), out status, out input, out message));
                    var outcome = new Outcome<T> { Input = Library.Utf8(input) };
                    if (status != 0)
                    {
                        outcome.Error = new Acg2vecException((Status)status, Library.Utf8(message));
                    }
                    else
                    {
                        Library.Check(result(batch, new UIntPtr(i), out raw));
                        outcome.Result = read(raw);
                    }
                    outcomes.Add(outcome);
                }
                return outcomes;
            }
            finally
            {
                free(batch);
            }
        }
    }

    // Tags of one image, each list most probable first.
    public sealed class TagResult
    {
        public string Rating;
        public List<KeyValuePair<string, float>> Ratings, Characters, General;

        // Characters then general tags, joined: the training-caption form.
        public string Caption(string separator = ", ")
        {
            return string.Join(separator, Characters.Concat(General).Select(t => t.Key));
        }

        internal static TagResult Read(IntPtr result)
        {
            Func<int, List<KeyValuePair<string, float>>> category = which =>
            {
                UIntPtr count;
                Library.Check(Native.acg2vec_tag_result_count(result, which, out count));
                var tags = new List<KeyValuePair<string, float>>();
                for (ulong i = 0; i < count.ToUInt64(); ++i)
                {
                    IntPtr name;
                    float probability;
                    Library.Check(Native.acg2vec_tag_result_get(result, which, new UIntPtr(i), out name, out probability));
                    tags.Add(new KeyValuePair<string, float>(Library.Utf8(name), probability));
                }
                return tags;
            };
            IntPtr rating;
            Library.Check(Native.acg2vec_tag_result_rating(result, out rating));
            return new TagResult
            {
                Rating = Library.Utf8(rating),
                Ratings = category(Native.ACG2VEC_TAG_RATING),
                Characters = category(Native.ACG2VEC_TAG_CHARACTER),
                General = category(Native.ACG2VEC_TAG_GENERAL),
            };
        }
    }

    // Which tags a result keeps; null fields keep the library's (WD14's) defaults.
    public sealed class TagOptions
    {
        public float? GeneralThreshold, CharacterThreshold;
        public int? MaxGeneral;                  // at most this many general tags
        public string[] Exclude = new string[0]; // tags never reported
        public bool Spaces;                      // "long_hair" -> "long hair"
        public bool EscapeParentheses;           // "(" -> "\(" for prompts
        public bool DropOverlap;                 // drop "shirt" when "white_shirt" is kept
    }

    public sealed class Tagger : LibraryHandle
    {
        Tagger(IntPtr pointer) : base(pointer) { }
        protected override bool ReleaseHandle() { Native.acg2vec_tagger_free(handle); return true; }

        public static Tagger Create(Model model, TagOptions options = null)
        {
            options = options ?? new TagOptions();
            var c = new acg2vec_tag_options();
            Library.Check(Native.acg2vec_tag_options_init(ref c));
            if (options.GeneralThreshold.HasValue) c.general_threshold = options.GeneralThreshold.Value;
            if (options.CharacterThreshold.HasValue) c.character_threshold = options.CharacterThreshold.Value;
            if (options.MaxGeneral.HasValue) c.max_general = new UIntPtr((ulong)options.MaxGeneral.Value);
            c.underscores_to_spaces = options.Spaces ? 1 : 0;
            c.escape_parentheses = options.EscapeParentheses ? 1 : 0;
            c.drop_overlap = options.DropOverlap ? 1 : 0;
            var exclude = options.Exclude.Select(Marshal.StringToHGlobalAnsi).ToArray();
            var array = GCHandle.Alloc(exclude, GCHandleType.Pinned);
            try
            {
                c.exclude = exclude.Length > 0 ? array.AddrOfPinnedObject() : IntPtr.Zero;
                c.exclude_count = new UIntPtr((ulong)exclude.Length);
                var decode = new acg2vec_decode_options();
                Library.Check(Native.acg2vec_decode_options_init(ref decode));
                IntPtr tagger;
                Library.Check(Native.acg2vec_tagger_create(model.Pointer, ref c, ref decode, out tagger));
                return new Tagger(tagger);
            }
            finally
            {
                array.Free();
                foreach (var e in exclude) Marshal.FreeHGlobal(e);
                GC.KeepAlive(model);
            }
        }

        public TagResult Tag(Input image)
        {
            using (var inputs = new PinnedInputs(new[] { image }))
            {
                IntPtr result;
                Library.Check(Native.acg2vec_tagger_tag(Pointer, ref inputs.Inputs[0], out result));
                try { return TagResult.Read(result); }
                finally { Native.acg2vec_tag_result_free(result); }
            }
        }

        // An Outcome per image, in order; a bad image fails alone.
        public List<Outcome<TagResult>> TagBatch(IList<Input> images)
        {
            using (var inputs = new PinnedInputs(images))
            {
                IntPtr batch;
                Library.Check(Native.acg2vec_tagger_tag_batch(Pointer, ref inputs.Inputs[0], inputs.Count, out batch));
                return Batches.Read(batch, Native.acg2vec_tag_batch_count, Native.acg2vec_tag_batch_item,
                                    Native.acg2vec_tag_batch_result, Native.acg2vec_tag_batch_free, TagResult.Read);
            }
        }
    }

    public sealed class ClassScore
    {
        public int Index;
        public string Label;
        public float Probability;
    }

    // One classification head: the best class, the top k, and for numeric bins the expected value.
    public sealed class HeadScore
    {
        public string Name;
        public ClassScore Best;
        public List<ClassScore> Top = new List<ClassScore>();
        public double? ExpectedValue;

        internal delegate int ClassGetter(out UIntPtr index, out IntPtr label, out float probability);

        static ClassScore Class(ClassGetter get)
        {
            UIntPtr index;
            IntPtr label;
            float probability;
            Library.Check(get(out index, out label, out probability));
            return new ClassScore { Index = (int)index.ToUInt64(), Label = Library.Utf8(label), Probability = probability };
        }

        internal static List<HeadScore> Read(IntPtr result)
        {
            UIntPtr heads;
            Library.Check(Native.acg2vec_score_result_head_count(result, out heads));
            var list = new List<HeadScore>();
            for (ulong h = 0; h < heads.ToUInt64(); ++h)
            {
                var head = new UIntPtr(h);
                IntPtr name;
                Library.Check(Native.acg2vec_score_result_head_name(result, head, out name));
                var score = new HeadScore { Name = Library.Utf8(name) };
                score.Best = Class((out UIntPtr i, out IntPtr l, out float p) =>
                                       Native.acg2vec_score_result_best(result, head, out i, out l, out p));
                UIntPtr top;
                Library.Check(Native.acg2vec_score_result_top_count(result, head, out top));
                for (ulong rank = 0; rank < top.ToUInt64(); ++rank)
                {
                    var r = new UIntPtr(rank);
                    score.Top.Add(Class((out UIntPtr i, out IntPtr l, out float p) =>
                                            Native.acg2vec_score_result_top(result, head, r, out i, out l, out p)));
                }
                int has;
                double value;
                Library.Check(Native.acg2vec_score_result_expected_value(result, head, out has, out value));
                if (has != 0) score.ExpectedValue = value;
                list.Add(score);
            }
            return list;
        }
    }

    public sealed class Scorer : LibraryHandle
    {
        Scorer(IntPtr pointer) : base(pointer) { }
        protected override bool ReleaseHandle() { Native.acg2vec_scorer_free(handle); return true; }

        public static Scorer Create(Model model)
        {
            var score = new acg2vec_score_options();
            Library.Check(Native.acg2vec_score_options_init(ref score));
            var decode = new acg2vec_decode_options();
            Library.Check(Native.acg2vec_decode_options_init(ref decode));
            IntPtr scorer;
            Library.Check(Native.acg2vec_scorer_create(model.Pointer, ref score, ref decode, out scorer));
            GC.KeepAlive(model);
            return new Scorer(scorer);
        }

        public List<HeadScore> Score(Input image)
        {
            using (var inputs = new PinnedInputs(new[] { image }))
            {
                IntPtr result;
                Library.Check(Native.acg2vec_scorer_score(Pointer, ref inputs.Inputs[0], out result));
                try { return HeadScore.Read(result); }
                finally { Native.acg2vec_score_result_free(result); }
            }
        }

        public List<Outcome<List<HeadScore>>> ScoreBatch(IList<Input> images)
        {
            using (var inputs = new PinnedInputs(images))
            {
                IntPtr batch;
                Library.Check(Native.acg2vec_scorer_score_batch(Pointer, ref inputs.Inputs[0], inputs.Count, out batch));
                return Batches.Read(batch, Native.acg2vec_score_batch_count, Native.acg2vec_score_batch_item,
                                    Native.acg2vec_score_batch_result, Native.acg2vec_score_batch_free, HeadScore.Read);
            }
        }
    }

    // Two vectors compared: Score is 0-100, 100 x max(0, Cosine).
    public struct Similarity
    {
        public double Cosine, L2Distance, Score;
    }

    public sealed class Embedder : LibraryHandle
    {
        Embedder(IntPtr pointer) : base(pointer) { }
        protected override bool ReleaseHandle() { Native.acg2vec_embedder_free(handle); return true; }

        public static Embedder Create(Model model)
        {
            var embed = new acg2vec_embed_options();
            Library.Check(Native.acg2vec_embed_options_init(ref embed));
            var decode = new acg2vec_decode_options();
            Library.Check(Native.acg2vec_decode_options_init(ref decode));
            IntPtr embedder;
            Library.Check(Native.acg2vec_embedder_create(model.Pointer, ref embed, ref decode, out embedder));
            GC.KeepAlive(model);
            return new Embedder(embedder);
        }

        public int Dimensions
        {
            get
            {
                UIntPtr n;
                Library.Check(Native.acg2vec_embedder_dimensions(Pointer, out n));
                return (int)n.ToUInt64();
            }
        }

        public float[] Embed(Input image)
        {
            using (var inputs = new PinnedInputs(new[] { image }))
            {
                IntPtr vector;
                Library.Check(Native.acg2vec_embedder_embed(Pointer, ref inputs.Inputs[0], out vector));
                return Library.TakeVector(vector);
            }
        }

        public List<Outcome<float[]>> EmbedBatch(IList<Input> images)
        {
            using (var inputs = new PinnedInputs(images))
            {
                IntPtr batch;
                Library.Check(Native.acg2vec_embedder_embed_batch(Pointer, ref inputs.Inputs[0], inputs.Count, out batch));
                return ReadVectors(batch);
            }
        }

        static List<Outcome<float[]>> ReadVectors(IntPtr batch)
        {
            return Batches.Read(batch, Native.acg2vec_vector_batch_count, Native.acg2vec_vector_batch_item,
                                Native.acg2vec_vector_batch_result, Native.acg2vec_vector_batch_free, Library.Floats);
        }

        public float[] EmbedText(string text)
        {
            IntPtr vector;
            Library.Check(Native.acg2vec_embedder_embed_text(Pointer, text, out vector));
            return Library.TakeVector(vector);
        }

        // One vector per text, batch-size texts per forward pass.
        public List<float[]> EmbedTexts(string[] texts)
        {
            IntPtr batch;
            Library.Check(Native.acg2vec_embedder_embed_texts(Pointer, texts, new UIntPtr((ulong)texts.Length), out batch));
            return ReadVectors(batch).Select(o => o.Result).ToList();
        }

        // Similarity of two images, both in one forward pass.
        public Similarity Compare(Input a, Input b)
        {
            using (var inputs = new PinnedInputs(new[] { a, b }))
            {
                var s = new acg2vec_similarity();
                Library.Check(Native.acg2vec_embedder_similarity(Pointer, ref inputs.Inputs[0], ref inputs.Inputs[1], ref s));
                return new Similarity { Cosine = s.cosine, L2Distance = s.l2_distance, Score = s.score };
            }
        }
    }
}
