// The C ABI of capi/acg2vec.h, declared for P/Invoke: every function, the structs field for
// field (pointers as IntPtr, size_t as UIntPtr, enums as int), the enum constants and the
// callback types. The C# type of each parameter follows one rule (tests/bindings/check_bindings.py
// applies it to the header and compares): a handle or other pointer is IntPtr, an out-parameter
// of a scalar is `out` that scalar, of a pointer `out IntPtr`, an options struct `ref` it, a
// `const char*` argument string, a `const char* const*` string[], other input arrays typed
// arrays. Returned strings are IntPtr: the library owns them, the marshaller must not free them.
using System;
using System.Runtime.InteropServices;

namespace Acg2vec
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int acg2vec_key_filter(IntPtr a0, IntPtr a1);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void acg2vec_sync_event_callback(IntPtr a0, IntPtr a1);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void acg2vec_sync_progress_callback(UIntPtr a0, UIntPtr a1, IntPtr a2);

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_decode_options
    {
        public UIntPtr struct_size;
        public ulong max_pixels;
        public int apply_exif_orientation;
        public int jpeg_min_side;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_model_options
    {
        public UIntPtr struct_size;
        public IntPtr device;
        public int threads;
        public int batch_size;
        public int decode_threads;
        public int decode_schedule;
        public int precision;
        public int optimization;
        public IntPtr metadata_json;
        public IntPtr preprocess_json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_score_options
    {
        public UIntPtr struct_size;
        public UIntPtr top_k;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_embed_options
    {
        public UIntPtr struct_size;
        public int normalize;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_tag_options
    {
        public UIntPtr struct_size;
        public float general_threshold;
        public float character_threshold;
        public int general_mcut;
        public int character_mcut;
        public float character_mcut_floor;
        public UIntPtr max_general;
        public UIntPtr max_characters;
        public IntPtr include;
        public UIntPtr include_count;
        public IntPtr exclude;
        public UIntPtr exclude_count;
        public int drop_overlap;
        public int underscores_to_spaces;
        public int escape_parentheses;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_image_input
    {
        public int source;
        public IntPtr text;
        public IntPtr data;
        public UIntPtr size;
        public IntPtr image;
        public IntPtr name;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_similarity
    {
        public double cosine;
        public double l2_distance;
        public double score;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_clip_tokenizer_options
    {
        public UIntPtr struct_size;
        public int context_length;
        public int truncate;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_wordpiece_options
    {
        public UIntPtr struct_size;
        public int lowercase;
        public int strip_accents;
        public int split_cjk;
        public int max_length;
        public int max_word_chars;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_index_options
    {
        public UIntPtr struct_size;
        public UIntPtr dimension;
        public int metric;
        public UIntPtr M;
        public UIntPtr ef_construction;
        public UIntPtr ef_search;
        public UIntPtr initial_capacity;
        public ulong seed;
        public IntPtr model_name;
        public IntPtr model_fingerprint;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_search_filter
    {
        public UIntPtr struct_size;
        public IntPtr any_category;
        public UIntPtr category_count;
        public acg2vec_key_filter accept;
        public IntPtr user_data;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_sync_event
    {
        public int action;
        public IntPtr key;
        public IntPtr previous_key;
        public int reused;
        public int status;
        public IntPtr message;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_sync_options
    {
        public UIntPtr struct_size;
        public IntPtr root;
        public int remove_missing;
        public IntPtr save_path;
        public UIntPtr save_every;
        public UIntPtr images_per_call;
        public acg2vec_sync_event_callback on_event;
        public acg2vec_sync_progress_callback on_progress;
        public IntPtr user_data;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_sync_report
    {
        public UIntPtr added;
        public UIntPtr updated;
        public UIntPtr renamed;
        public UIntPtr removed;
        public UIntPtr unchanged;
        public UIntPtr failed;
        public UIntPtr model_runs;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct acg2vec_duplicate_options
    {
        public UIntPtr struct_size;
        public float min_score;
        public UIntPtr neighbours;
    }

    internal static class Native
    {
        internal const string Library = "acg2vec";
        internal const int ACG2VEC_ABI_VERSION = 2;
        internal const string ACG2VEC_CONTENT_CATEGORY_PREFIX = "content:";

        internal const int ACG2VEC_OK = 0;
        internal const int ACG2VEC_INVALID_ARGUMENT = 1;
        internal const int ACG2VEC_INVALID_IMAGE = 2;
        internal const int ACG2VEC_UNSUPPORTED_FORMAT = 3;
        internal const int ACG2VEC_IMAGE_TOO_LARGE = 4;
        internal const int ACG2VEC_MODEL_LOAD = 5;
        internal const int ACG2VEC_MODEL_METADATA = 6;
        internal const int ACG2VEC_SHAPE_MISMATCH = 7;
        internal const int ACG2VEC_IO = 8;
        internal const int ACG2VEC_INDEX_FORMAT = 9;
        internal const int ACG2VEC_NOT_FOUND = 10;
        internal const int ACG2VEC_INFERENCE = 11;
        internal const int ACG2VEC_DEVICE = 12;
        internal const int ACG2VEC_INTERNAL = 13;
        internal const int ACG2VEC_PRECISION_FP32 = 0;
        internal const int ACG2VEC_PRECISION_FP16 = 1;
        internal const int ACG2VEC_PRECISION_BF16 = 2;
        internal const int ACG2VEC_OPTIMIZATION_NONE = 0;
        internal const int ACG2VEC_OPTIMIZATION_FREEZE = 1;
        internal const int ACG2VEC_OPTIMIZATION_FULL = 2;
        internal const int ACG2VEC_DECODE_AUTOMATIC = 0;
        internal const int ACG2VEC_DECODE_OVERLAP = 1;
        internal const int ACG2VEC_DECODE_ALTERNATE = 2;
        internal const int ACG2VEC_IMAGE_FILE = 0;
        internal const int ACG2VEC_IMAGE_MEMORY = 1;
        internal const int ACG2VEC_IMAGE_BASE64 = 2;
        internal const int ACG2VEC_IMAGE_DECODED = 3;
        internal const int ACG2VEC_TAG_RATING = 0;
        internal const int ACG2VEC_TAG_CHARACTER = 1;
        internal const int ACG2VEC_TAG_GENERAL = 2;
        internal const int ACG2VEC_METRIC_COSINE = 0;
        internal const int ACG2VEC_METRIC_INNER_PRODUCT = 1;
        internal const int ACG2VEC_METRIC_L2 = 2;
        internal const int ACG2VEC_SYNC_ADDED = 0;
        internal const int ACG2VEC_SYNC_UPDATED = 1;
        internal const int ACG2VEC_SYNC_RENAMED = 2;
        internal const int ACG2VEC_SYNC_REMOVED = 3;
        internal const int ACG2VEC_SYNC_UNCHANGED = 4;
        internal const int ACG2VEC_SYNC_FAILED = 5;

[DllImport(Library)] internal static extern IntPtr acg2vec_version();
        [DllImport(Library)] internal static extern int acg2vec_abi_version();
        [DllImport(Library)] internal static extern IntPtr acg2vec_status_name(int status);
        [DllImport(Library)] internal static extern IntPtr acg2vec_last_error();
        [DllImport(Library)] internal static extern void acg2vec_string_free(IntPtr @string);
        [DllImport(Library)] internal static extern int acg2vec_decode_options_init(ref acg2vec_decode_options options);
        [DllImport(Library)] internal static extern int acg2vec_model_options_init(ref acg2vec_model_options options);
        [DllImport(Library)] internal static extern int acg2vec_tag_options_init(ref acg2vec_tag_options options);
        [DllImport(Library)] internal static extern int acg2vec_score_options_init(ref acg2vec_score_options options);
        [DllImport(Library)] internal static extern int acg2vec_embed_options_init(ref acg2vec_embed_options options);
        [DllImport(Library)] internal static extern int acg2vec_keep_freed_memory_for_reuse(UIntPtr max_block_bytes);
        [DllImport(Library)] internal static extern int acg2vec_image_decode_file(string path, ref acg2vec_decode_options options, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_image_decode_memory(IntPtr data, UIntPtr size, ref acg2vec_decode_options options, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_image_decode_base64(string text, ref acg2vec_decode_options options, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_image_from_pixels(int width, int height, int channels, byte[] pixels, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_image_dimensions(IntPtr image, out int width, out int height, out int channels);
        [DllImport(Library)] internal static extern int acg2vec_image_pixels(IntPtr image, out IntPtr pixels, out UIntPtr size);
        [DllImport(Library)] internal static extern int acg2vec_image_format(IntPtr image, out IntPtr format);
        [DllImport(Library)] internal static extern void acg2vec_image_free(IntPtr image);
        [DllImport(Library)] internal static extern int acg2vec_model_open(string path, ref acg2vec_model_options options, out IntPtr @out);
        [DllImport(Library)] internal static extern void acg2vec_model_free(IntPtr model);
        [DllImport(Library)] internal static extern int acg2vec_model_path(IntPtr model, out IntPtr path);
        [DllImport(Library)] internal static extern int acg2vec_model_metadata(IntPtr model, out IntPtr json);
        [DllImport(Library)] internal static extern int acg2vec_model_device(IntPtr model, out IntPtr device);
        [DllImport(Library)] internal static extern int acg2vec_model_fingerprint(IntPtr model, out IntPtr fingerprint);
        [DllImport(Library)] internal static extern int acg2vec_tagger_create(IntPtr model, ref acg2vec_tag_options tag_options, ref acg2vec_decode_options decode_options, out IntPtr @out);
        [DllImport(Library)] internal static extern void acg2vec_tagger_free(IntPtr tagger);
        [DllImport(Library)] internal static extern int acg2vec_tagger_model(IntPtr tagger, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_tagger_tag(IntPtr tagger, ref acg2vec_image_input input, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_tagger_tag_batch(IntPtr tagger, ref acg2vec_image_input inputs, UIntPtr count, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_tagger_probabilities(IntPtr tagger, ref acg2vec_image_input input, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_tagger_select(IntPtr tagger, float[] probabilities, UIntPtr count, ref acg2vec_tag_options options, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_tagger_label_count(IntPtr tagger, out UIntPtr count);
        [DllImport(Library)] internal static extern int acg2vec_tagger_label(IntPtr tagger, UIntPtr index, out IntPtr name, out int category);
        [DllImport(Library)] internal static extern int acg2vec_tag_result_count(IntPtr result, int category, out UIntPtr count);
        [DllImport(Library)] internal static extern int acg2vec_tag_result_get(IntPtr result, int category, UIntPtr index, out IntPtr name, out float probability);
        [DllImport(Library)] internal static extern int acg2vec_tag_result_label_index(IntPtr result, int category, UIntPtr index, out UIntPtr label_index);
        [DllImport(Library)] internal static extern int acg2vec_tag_result_rating(IntPtr result, out IntPtr name);
        [DllImport(Library)] internal static extern int acg2vec_tag_result_caption(IntPtr result, string separator, out IntPtr caption);
        [DllImport(Library)] internal static extern int acg2vec_tag_result_to_json(IntPtr result, out IntPtr json);
        [DllImport(Library)] internal static extern void acg2vec_tag_result_free(IntPtr result);
        [DllImport(Library)] internal static extern int acg2vec_tag_batch_count(IntPtr batch, out UIntPtr count);
        [DllImport(Library)] internal static extern int acg2vec_tag_batch_item(IntPtr batch, UIntPtr index, out int status, out IntPtr input, out IntPtr message);
        [DllImport(Library)] internal static extern int acg2vec_tag_batch_result(IntPtr batch, UIntPtr index, out IntPtr result);
        [DllImport(Library)] internal static extern int acg2vec_tag_batch_to_json(IntPtr batch, out IntPtr json);
        [DllImport(Library)] internal static extern void acg2vec_tag_batch_free(IntPtr batch);
        [DllImport(Library)] internal static extern int acg2vec_scorer_create(IntPtr model, ref acg2vec_score_options score_options, ref acg2vec_decode_options decode_options, out IntPtr @out);
        [DllImport(Library)] internal static extern void acg2vec_scorer_free(IntPtr scorer);
        [DllImport(Library)] internal static extern int acg2vec_scorer_model(IntPtr scorer, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_scorer_score(IntPtr scorer, ref acg2vec_image_input input, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_scorer_score_batch(IntPtr scorer, ref acg2vec_image_input inputs, UIntPtr count, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_scorer_head_names(IntPtr scorer, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_score_result_head_count(IntPtr result, out UIntPtr count);
        [DllImport(Library)] internal static extern int acg2vec_score_result_find_head(IntPtr result, string name, out UIntPtr head);
        [DllImport(Library)] internal static extern int acg2vec_score_result_head_name(IntPtr result, UIntPtr head, out IntPtr name);
        [DllImport(Library)] internal static extern int acg2vec_score_result_label_count(IntPtr result, UIntPtr head, out UIntPtr count);
        [DllImport(Library)] internal static extern int acg2vec_score_result_label(IntPtr result, UIntPtr head, UIntPtr index, out IntPtr label, out float probability);
        [DllImport(Library)] internal static extern int acg2vec_score_result_best(IntPtr result, UIntPtr head, out UIntPtr class_index, out IntPtr label, out float probability);
        [DllImport(Library)] internal static extern int acg2vec_score_result_top_count(IntPtr result, UIntPtr head, out UIntPtr count);
        [DllImport(Library)] internal static extern int acg2vec_score_result_top(IntPtr result, UIntPtr head, UIntPtr rank, out UIntPtr class_index, out IntPtr label, out float probability);
        [DllImport(Library)] internal static extern int acg2vec_score_result_expected_value(IntPtr result, UIntPtr head, out int has_value, out double value);
        [DllImport(Library)] internal static extern int acg2vec_score_result_to_json(IntPtr result, out IntPtr json);
        [DllImport(Library)] internal static extern void acg2vec_score_result_free(IntPtr result);
        [DllImport(Library)] internal static extern int acg2vec_score_batch_count(IntPtr batch, out UIntPtr count);
        [DllImport(Library)] internal static extern int acg2vec_score_batch_item(IntPtr batch, UIntPtr index, out int status, out IntPtr input, out IntPtr message);
        [DllImport(Library)] internal static extern int acg2vec_score_batch_result(IntPtr batch, UIntPtr index, out IntPtr result);
        [DllImport(Library)] internal static extern int acg2vec_score_batch_to_json(IntPtr batch, out IntPtr json);
        [DllImport(Library)] internal static extern void acg2vec_score_batch_free(IntPtr batch);
        [DllImport(Library)] internal static extern int acg2vec_embedder_create(IntPtr model, ref acg2vec_embed_options embed_options, ref acg2vec_decode_options decode_options, out IntPtr @out);
        [DllImport(Library)] internal static extern void acg2vec_embedder_free(IntPtr embedder);
        [DllImport(Library)] internal static extern int acg2vec_embedder_model(IntPtr embedder, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_embedder_has_image(IntPtr embedder, out int has_image);
        [DllImport(Library)] internal static extern int acg2vec_embedder_has_text(IntPtr embedder, out int has_text);
        [DllImport(Library)] internal static extern int acg2vec_embedder_dimensions(IntPtr embedder, out UIntPtr dimensions);
        [DllImport(Library)] internal static extern int acg2vec_embedder_logit_scale(IntPtr embedder, out double logit_scale);
        [DllImport(Library)] internal static extern int acg2vec_embedder_embed(IntPtr embedder, ref acg2vec_image_input input, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_embedder_embed_batch(IntPtr embedder, ref acg2vec_image_input inputs, UIntPtr count, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_embedder_embed_text(IntPtr embedder, string text, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_embedder_embed_texts(IntPtr embedder, string[] texts, UIntPtr count, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_embedder_similarity(IntPtr embedder, ref acg2vec_image_input a, ref acg2vec_image_input b, ref acg2vec_similarity @out);
        [DllImport(Library)] internal static extern int acg2vec_compare_vectors(float[] a, UIntPtr a_size, float[] b, UIntPtr b_size, ref acg2vec_similarity @out);
        [DllImport(Library)] internal static extern int acg2vec_embedder_zero_shot(IntPtr embedder, ref acg2vec_image_input image, string[] labels, UIntPtr label_count, string prompt, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_embedder_zero_shot_vector(IntPtr embedder, float[] image_vector, UIntPtr size, string[] labels, UIntPtr label_count, string prompt, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_embedder_clip_tokenizer(IntPtr embedder, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_embedder_wordpiece_tokenizer(IntPtr embedder, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_vector_data(IntPtr vector, out IntPtr data, out UIntPtr size);
        [DllImport(Library)] internal static extern void acg2vec_vector_free(IntPtr vector);
        [DllImport(Library)] internal static extern int acg2vec_vector_batch_count(IntPtr batch, out UIntPtr count);
        [DllImport(Library)] internal static extern int acg2vec_vector_batch_item(IntPtr batch, UIntPtr index, out int status, out IntPtr input, out IntPtr message);
        [DllImport(Library)] internal static extern int acg2vec_vector_batch_result(IntPtr batch, UIntPtr index, out IntPtr result);
        [DllImport(Library)] internal static extern void acg2vec_vector_batch_free(IntPtr batch);
        [DllImport(Library)] internal static extern int acg2vec_zero_shot_result_count(IntPtr result, out UIntPtr count);
        [DllImport(Library)] internal static extern int acg2vec_zero_shot_result_get(IntPtr result, UIntPtr index, out IntPtr label, out double probability, out double cosine);
        [DllImport(Library)] internal static extern void acg2vec_zero_shot_result_free(IntPtr result);
        [DllImport(Library)] internal static extern int acg2vec_analyzer_create(IntPtr model, ref acg2vec_tag_options tag_options, ref acg2vec_score_options score_options, ref acg2vec_embed_options embed_options, ref acg2vec_decode_options decode_options, out IntPtr @out);
        [DllImport(Library)] internal static extern void acg2vec_analyzer_free(IntPtr analyzer);
        [DllImport(Library)] internal static extern int acg2vec_analyzer_tagger(IntPtr analyzer, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_analyzer_scorer(IntPtr analyzer, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_analyzer_embedder(IntPtr analyzer, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_analyzer_analyze(IntPtr analyzer, ref acg2vec_image_input input, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_analyzer_analyze_batch(IntPtr analyzer, ref acg2vec_image_input inputs, UIntPtr count, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_analysis_tags(IntPtr analysis, out IntPtr tags);
        [DllImport(Library)] internal static extern int acg2vec_analysis_scores(IntPtr analysis, out IntPtr scores);
        [DllImport(Library)] internal static extern int acg2vec_analysis_vector(IntPtr analysis, out IntPtr vector);
        [DllImport(Library)] internal static extern void acg2vec_analysis_free(IntPtr analysis);
        [DllImport(Library)] internal static extern int acg2vec_analysis_batch_count(IntPtr batch, out UIntPtr count);
        [DllImport(Library)] internal static extern int acg2vec_analysis_batch_item(IntPtr batch, UIntPtr index, out int status, out IntPtr input, out IntPtr message);
        [DllImport(Library)] internal static extern int acg2vec_analysis_batch_result(IntPtr batch, UIntPtr index, out IntPtr result);
        [DllImport(Library)] internal static extern void acg2vec_analysis_batch_free(IntPtr batch);
        [DllImport(Library)] internal static extern int acg2vec_clip_tokenizer_options_init(ref acg2vec_clip_tokenizer_options options);
        [DllImport(Library)] internal static extern int acg2vec_wordpiece_options_init(ref acg2vec_wordpiece_options options);
        [DllImport(Library)] internal static extern int acg2vec_clip_tokenizer_open(string path, ref acg2vec_clip_tokenizer_options options, out IntPtr @out);
        [DllImport(Library)] internal static extern void acg2vec_clip_tokenizer_free(IntPtr tokenizer);
        [DllImport(Library)] internal static extern int acg2vec_clip_tokenizer_clean(IntPtr tokenizer, string text, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_clip_tokenizer_pieces(IntPtr tokenizer, string text, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_clip_tokenizer_encode(IntPtr tokenizer, string text, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_clip_tokenizer_tokenize(IntPtr tokenizer, string text, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_clip_tokenizer_decode(IntPtr tokenizer, long[] ids, UIntPtr count, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_clip_tokenizer_special_tokens(IntPtr tokenizer, out long start_of_text, out long end_of_text);
        [DllImport(Library)] internal static extern int acg2vec_clip_tokenizer_vocab_size(IntPtr tokenizer, out UIntPtr size);
        [DllImport(Library)] internal static extern int acg2vec_wordpiece_tokenizer_open(string path, ref acg2vec_wordpiece_options options, out IntPtr @out);
        [DllImport(Library)] internal static extern void acg2vec_wordpiece_tokenizer_free(IntPtr tokenizer);
        [DllImport(Library)] internal static extern int acg2vec_wordpiece_tokenizer_tokenize(IntPtr tokenizer, string text, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_wordpiece_tokenizer_encode(IntPtr tokenizer, string text, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_wordpiece_tokenizer_encode_padded(IntPtr tokenizer, string text, UIntPtr length, out IntPtr ids, out IntPtr attention_mask);
        [DllImport(Library)] internal static extern int acg2vec_wordpiece_tokenizer_token_id(IntPtr tokenizer, string token, out long id);
        [DllImport(Library)] internal static extern int acg2vec_wordpiece_tokenizer_token(IntPtr tokenizer, long id, out IntPtr token);
        [DllImport(Library)] internal static extern int acg2vec_wordpiece_tokenizer_vocab_size(IntPtr tokenizer, out UIntPtr size);
        [DllImport(Library)] internal static extern int acg2vec_ids_data(IntPtr ids, out IntPtr data, out UIntPtr count);
        [DllImport(Library)] internal static extern void acg2vec_ids_free(IntPtr ids);
        [DllImport(Library)] internal static extern int acg2vec_strings_count(IntPtr strings, out UIntPtr count);
        [DllImport(Library)] internal static extern int acg2vec_strings_get(IntPtr strings, UIntPtr index, out IntPtr @string);
        [DllImport(Library)] internal static extern void acg2vec_strings_free(IntPtr strings);
        [DllImport(Library)] internal static extern IntPtr acg2vec_metric_name(int metric);
        [DllImport(Library)] internal static extern int acg2vec_index_options_init(ref acg2vec_index_options options);
        [DllImport(Library)] internal static extern int acg2vec_search_filter_init(ref acg2vec_search_filter filter);
        [DllImport(Library)] internal static extern int acg2vec_embedder_index_options(IntPtr embedder, ref acg2vec_index_options options);
        [DllImport(Library)] internal static extern int acg2vec_index_create(ref acg2vec_index_options options, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_index_load(string path, ref acg2vec_index_options expected, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_index_save(IntPtr index, string path);
        [DllImport(Library)] internal static extern void acg2vec_index_free(IntPtr index);
        [DllImport(Library)] internal static extern int acg2vec_index_add(IntPtr index, string key, float[] vector, UIntPtr dimension, string[] categories, UIntPtr category_count);
        [DllImport(Library)] internal static extern int acg2vec_index_add_batch(IntPtr index, string[] keys, UIntPtr key_count, float[] vectors, UIntPtr float_count, IntPtr categories, UIntPtr[] category_counts);
        [DllImport(Library)] internal static extern int acg2vec_index_update(IntPtr index, string key, float[] vector, UIntPtr dimension, string[] categories, UIntPtr category_count);
        [DllImport(Library)] internal static extern int acg2vec_index_remove(IntPtr index, string key, out int removed);
        [DllImport(Library)] internal static extern int acg2vec_index_contains(IntPtr index, string key, out int contains);
        [DllImport(Library)] internal static extern int acg2vec_index_size(IntPtr index, out UIntPtr size);
        [DllImport(Library)] internal static extern int acg2vec_index_get(IntPtr index, string key, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_index_categories(IntPtr index, string key, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_index_keys(IntPtr index, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_index_get_info(IntPtr index, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_index_export_vectors(IntPtr index, string directory);
        [DllImport(Library)] internal static extern int acg2vec_index_search(IntPtr index, float[] query, UIntPtr dimension, UIntPtr k, UIntPtr ef, ref acg2vec_search_filter filter, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_index_search_batch(IntPtr index, float[] queries, UIntPtr query_count, UIntPtr dimension, UIntPtr k, UIntPtr ef, ref acg2vec_search_filter filter, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_index_exact_search(IntPtr index, float[] query, UIntPtr dimension, UIntPtr k, ref acg2vec_search_filter filter, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_index_info_get(IntPtr info, out UIntPtr dimension, out int metric, out UIntPtr size, out UIntPtr capacity, out UIntPtr removed_slots);
        [DllImport(Library)] internal static extern int acg2vec_index_info_model(IntPtr info, out IntPtr model_name, out IntPtr model_fingerprint);
        [DllImport(Library)] internal static extern void acg2vec_index_info_free(IntPtr info);
        [DllImport(Library)] internal static extern int acg2vec_search_result_count(IntPtr result, out UIntPtr count);
        [DllImport(Library)] internal static extern int acg2vec_search_result_get(IntPtr result, UIntPtr index, out IntPtr key, out float distance, out float score);
        [DllImport(Library)] internal static extern void acg2vec_search_result_free(IntPtr result);
        [DllImport(Library)] internal static extern int acg2vec_search_batch_count(IntPtr batch, out UIntPtr count);
        [DllImport(Library)] internal static extern int acg2vec_search_batch_get(IntPtr batch, UIntPtr index, out IntPtr result);
        [DllImport(Library)] internal static extern void acg2vec_search_batch_free(IntPtr batch);
        [DllImport(Library)] internal static extern IntPtr acg2vec_sync_action_name(int action);
        [DllImport(Library)] internal static extern int acg2vec_sync_options_init(ref acg2vec_sync_options options);
        [DllImport(Library)] internal static extern int acg2vec_sync_folder(IntPtr index, IntPtr analyzer, string[] inputs, UIntPtr input_count, ref acg2vec_sync_options options, ref acg2vec_sync_report report);
        [DllImport(Library)] internal static extern int acg2vec_list_image_files(string[] inputs, UIntPtr input_count, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_index_key(string path, string root, out IntPtr key);
        [DllImport(Library)] internal static extern int acg2vec_duplicate_options_init(ref acg2vec_duplicate_options options);
        [DllImport(Library)] internal static extern int acg2vec_find_duplicates(IntPtr index, ref acg2vec_duplicate_options options, out IntPtr @out);
        [DllImport(Library)] internal static extern int acg2vec_duplicates_count(IntPtr duplicates, out UIntPtr groups);
        [DllImport(Library)] internal static extern int acg2vec_duplicates_group(IntPtr duplicates, UIntPtr group, out int identical, out UIntPtr member_count);
        [DllImport(Library)] internal static extern int acg2vec_duplicates_member(IntPtr duplicates, UIntPtr group, UIntPtr member, out IntPtr key, out IntPtr content, out int identical, out IntPtr nearest, out float score);
        [DllImport(Library)] internal static extern void acg2vec_duplicates_free(IntPtr duplicates);
    }
}
