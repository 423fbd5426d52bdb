// C ABI: the CLIP and WordPiece tokenizers (text -> ids), opened from their vocabulary files or
// taken from an embedder (acg2vec_embedder_clip_tokenizer, in models.cpp).
#include "capi_internal.hpp"

using namespace acg2vec::capi;

// ---- CLIP

extern "C" acg2vec_status acg2vec_clip_tokenizer_open(const char* path, const acg2vec_clip_tokenizer_options* options,
                                                      acg2vec_clip_tokenizer** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(path, "path");
        *out = new_handle<acg2vec_clip_tokenizer>(
            acg2vec::ClipTokenizer::from_file(path, clip_tokenizer_options(options)));
    });
}

extern "C" void acg2vec_clip_tokenizer_free(acg2vec_clip_tokenizer* tokenizer) { delete tokenizer; }

extern "C" acg2vec_status acg2vec_clip_tokenizer_clean(const acg2vec_clip_tokenizer* tokenizer, const char* text,
                                                       char** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(tokenizer, "tokenizer");
        require(text, "text");
        *out = copy_string(tokenizer->value.clean(text));
    });
}

extern "C" acg2vec_status acg2vec_clip_tokenizer_pieces(const acg2vec_clip_tokenizer* tokenizer, const char* text,
                                                        acg2vec_strings** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(tokenizer, "tokenizer");
        require(text, "text");
        *out = new_handle<acg2vec_strings>(tokenizer->value.pieces(text));
    });
}

extern "C" acg2vec_status acg2vec_clip_tokenizer_encode(const acg2vec_clip_tokenizer* tokenizer, const char* text,
                                                        acg2vec_ids** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(tokenizer, "tokenizer");
        require(text, "text");
        *out = new_handle<acg2vec_ids>(tokenizer->value.encode(text));
    });
}

extern "C" acg2vec_status acg2vec_clip_tokenizer_tokenize(const acg2vec_clip_tokenizer* tokenizer, const char* text,
                                                          acg2vec_ids** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(tokenizer, "tokenizer");
        require(text, "text");
        *out = new_handle<acg2vec_ids>(tokenizer->value.tokenize(text));
    });
}

extern "C" acg2vec_status acg2vec_clip_tokenizer_decode(const acg2vec_clip_tokenizer* tokenizer, const int64_t* ids,
                                                        size_t count, char** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(tokenizer, "tokenizer");
        require_array(ids, count, "ids");
        const std::vector<std::int64_t> list(ids, ids + count);
        *out = copy_string(tokenizer->value.decode(list));
    });
}

extern "C" acg2vec_status acg2vec_clip_tokenizer_special_tokens(const acg2vec_clip_tokenizer* tokenizer,
                                                                int64_t* start_of_text, int64_t* end_of_text) {
    return guard(__func__, [&] {
        require(tokenizer, "tokenizer");
        require(start_of_text, "start_of_text");
        require(end_of_text, "end_of_text");
        *start_of_text = tokenizer->value.start_of_text();
        *end_of_text = tokenizer->value.end_of_text();
    });
}

extern "C" acg2vec_status acg2vec_clip_tokenizer_vocab_size(const acg2vec_clip_tokenizer* tokenizer, size_t* size) {
    return guard(__func__, [&] {
        require(tokenizer, "tokenizer");
        require(size, "size");
        *size = tokenizer->value.vocab_size();
    });
}

// ---- WordPiece

extern "C" acg2vec_status acg2vec_wordpiece_tokenizer_open(const char* path, const acg2vec_wordpiece_options* options,
                                                           acg2vec_wordpiece_tokenizer** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(path, "path");
        *out = new_handle<acg2vec_wordpiece_tokenizer>(
            acg2vec::WordPieceTokenizer::from_file(path, wordpiece_options(options)));
    });
}

extern "C" void acg2vec_wordpiece_tokenizer_free(acg2vec_wordpiece_tokenizer* tokenizer) { delete tokenizer; }

extern "C" acg2vec_status acg2vec_wordpiece_tokenizer_tokenize(const acg2vec_wordpiece_tokenizer* tokenizer,
                                                               const char* text, acg2vec_strings** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(tokenizer, "tokenizer");
        require(text, "text");
        *out = new_handle<acg2vec_strings>(tokenizer->value.tokenize(text));
    });
}

extern "C" acg2vec_status acg2vec_wordpiece_tokenizer_encode(const acg2vec_wordpiece_tokenizer* tokenizer,
                                                             const char* text, acg2vec_ids** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(tokenizer, "tokenizer");
        require(text, "text");
        *out = new_handle<acg2vec_ids>(tokenizer->value.encode(text));
    });
}

extern "C" acg2vec_status acg2vec_wordpiece_tokenizer_encode_padded(const acg2vec_wordpiece_tokenizer* tokenizer,
                                                                    const char* text, size_t length, acg2vec_ids** ids,
                                                                    acg2vec_ids** attention_mask) {
    return guard(__func__, [&] {
        begin_out(ids, "ids");
        begin_out(attention_mask, "attention_mask");
        require(tokenizer, "tokenizer");
        require(text, "text");
        acg2vec::EncodedText encoded = tokenizer->value.encode_padded(text, length);
        // Both handles or neither: the second allocation may fail after the first.
        auto ids_handle = std::make_unique<acg2vec_ids>(acg2vec_ids{std::move(encoded.ids)});
        auto mask_handle = std::make_unique<acg2vec_ids>(acg2vec_ids{std::move(encoded.attention_mask)});
        *ids = ids_handle.release();
        *attention_mask = mask_handle.release();
    });
}

extern "C" acg2vec_status acg2vec_wordpiece_tokenizer_token_id(const acg2vec_wordpiece_tokenizer* tokenizer,
                                                               const char* token, int64_t* id) {
    return guard(__func__, [&] {
        require(tokenizer, "tokenizer");
        require(token, "token");
        require(id, "id");
        *id = tokenizer->value.id(token);
    });
}

extern "C" acg2vec_status acg2vec_wordpiece_tokenizer_token(const acg2vec_wordpiece_tokenizer* tokenizer, int64_t id,
                                                            const char** token) {
    return guard(__func__, [&] {
        require(tokenizer, "tokenizer");
        require(token, "token");
        *token = tokenizer->value.token(id).c_str();
    });
}

extern "C" acg2vec_status acg2vec_wordpiece_tokenizer_vocab_size(const acg2vec_wordpiece_tokenizer* tokenizer,
                                                                 size_t* size) {
    return guard(__func__, [&] {
        require(tokenizer, "tokenizer");
        require(size, "size");
        *size = tokenizer->value.vocab_size();
    });
}
