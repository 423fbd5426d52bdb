// The text tokenizers, token for token as the reference implementations.
using System;
using System.Collections.Generic;

namespace Acg2vec
{
    // CLIP's BPE tokenizer, from bpe_simple_vocab_16e6.txt.gz.
    public sealed class ClipTokenizer : LibraryHandle
    {
        ClipTokenizer(IntPtr pointer) : base(pointer) { }
        protected override bool ReleaseHandle() { Native.acg2vec_clip_tokenizer_free(handle); return true; }

        public static ClipTokenizer Open(string path)
        {
            var options = new acg2vec_clip_tokenizer_options();
            Library.Check(Native.acg2vec_clip_tokenizer_options_init(ref options));
            IntPtr tokenizer;
            Library.Check(Native.acg2vec_clip_tokenizer_open(path, ref options, out tokenizer));
            return new ClipTokenizer(tokenizer);
        }

        // What the model takes: start, ids, end, zeros up to the context length.
        public long[] Tokenize(string text)
        {
            IntPtr ids;
            Library.Check(Native.acg2vec_clip_tokenizer_tokenize(Pointer, text, out ids));
            return Library.TakeIds(ids);
        }

        // BPE pieces ("girl</w>").
        public List<string> Pieces(string text)
        {
            IntPtr list;
            Library.Check(Native.acg2vec_clip_tokenizer_pieces(Pointer, text, out list));
            return Library.TakeStrings(list);
        }
    }

    // BERT's WordPiece tokenizer, from a vocab.txt (lower case, accents stripped).
    public sealed class WordPieceTokenizer : LibraryHandle
    {
        WordPieceTokenizer(IntPtr pointer) : base(pointer) { }
        protected override bool ReleaseHandle() { Native.acg2vec_wordpiece_tokenizer_free(handle); return true; }

        public static WordPieceTokenizer Open(string path)
        {
            var options = new acg2vec_wordpiece_options();
            Library.Check(Native.acg2vec_wordpiece_options_init(ref options));
            IntPtr tokenizer;
            Library.Check(Native.acg2vec_wordpiece_tokenizer_open(path, ref options, out tokenizer));
            return new WordPieceTokenizer(tokenizer);
        }

        // Word pieces ("un", "##aff").
        public List<string> Tokenize(string text)
        {
            IntPtr list;
            Library.Check(Native.acg2vec_wordpiece_tokenizer_tokenize(Pointer, text, out list));
            return Library.TakeStrings(list);
        }

        // [CLS] pieces [SEP] as ids.
        public long[] Encode(string text)
        {
            IntPtr ids;
            Library.Check(Native.acg2vec_wordpiece_tokenizer_encode(Pointer, text, out ids));
            return Library.TakeIds(ids);
        }

        public long TokenId(string token)
        {
            long id;
            Library.Check(Native.acg2vec_wordpiece_tokenizer_token_id(Pointer, token, out id));
            return id;
        }
    }
}
