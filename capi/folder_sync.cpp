// C ABI: folder sync, the keys it gives, and duplicate groups.
#include "capi_internal.hpp"

using namespace acg2vec::capi;

namespace {

acg2vec_sync_action c_action(acg2vec::SyncAction action) {
    switch (action) {
        case acg2vec::SyncAction::added: return ACG2VEC_SYNC_ADDED;
        case acg2vec::SyncAction::updated: return ACG2VEC_SYNC_UPDATED;
        case acg2vec::SyncAction::renamed: return ACG2VEC_SYNC_RENAMED;
        case acg2vec::SyncAction::removed: return ACG2VEC_SYNC_REMOVED;
        case acg2vec::SyncAction::unchanged: return ACG2VEC_SYNC_UNCHANGED;
        case acg2vec::SyncAction::failed: break;
    }
    return ACG2VEC_SYNC_FAILED;
}

acg2vec::SyncOptions sync_options(const acg2vec_sync_options* options) {
    acg2vec::SyncOptions sync;
    if (options == nullptr) return sync;
    require_struct_size(options->struct_size, sizeof(acg2vec_sync_options), "options");
    if (options->root != nullptr) sync.root = options->root;
    sync.remove_missing = options->remove_missing != 0;
    if (options->save_path != nullptr) sync.save_path = options->save_path;
    sync.save_every = options->save_every;
    sync.images_per_call = options->images_per_call;
    // Copied by value: the callbacks live only as long as the sync call.
    void* const user_data = options->user_data;
    if (const acg2vec_sync_event_callback on_event = options->on_event) {
        sync.on_event = [on_event, user_data](const acg2vec::SyncEvent& e) {
            const acg2vec_sync_event event{c_action(e.action), e.key.c_str(),      e.previous_key.c_str(),
                                           e.reused ? 1 : 0,   to_status(e.error), e.message.c_str()};
            on_event(&event, user_data);
        };
    }
    if (const acg2vec_sync_progress_callback on_progress = options->on_progress) {
        sync.on_progress = [on_progress, user_data](std::size_t done, std::size_t total) {
            on_progress(done, total, user_data);
        };
    }
    return sync;
}

}  // namespace

extern "C" const char* acg2vec_sync_action_name(int action) {
    if (action < ACG2VEC_SYNC_ADDED || action > ACG2VEC_SYNC_FAILED) return "unknown";
    return acg2vec::sync_action_name(static_cast<acg2vec::SyncAction>(action));
}

extern "C" acg2vec_status acg2vec_sync_options_init(acg2vec_sync_options* options) {
    return guard(__func__, [&] {
        require(options, "options");
        const acg2vec::SyncOptions sync;
        *options = acg2vec_sync_options{};
        options->struct_size = sizeof(acg2vec_sync_options);
        options->root = nullptr;  // "."
        options->remove_missing = sync.remove_missing ? 1 : 0;
        options->save_path = nullptr;
        options->save_every = sync.save_every;
        options->images_per_call = sync.images_per_call;
    });
}

extern "C" acg2vec_status acg2vec_sync_folder(acg2vec_index* index, const acg2vec_analyzer* analyzer,
                                              const char* const* inputs, size_t input_count,
                                              const acg2vec_sync_options* options, acg2vec_sync_report* report) {
    return guard(__func__, [&] {
        require(index, "index");
        require(analyzer, "analyzer");
        require(report, "report");
        const acg2vec::SyncReport r = acg2vec::sync_folder(
            index->value, analyzer->value, string_list(inputs, input_count, "inputs"), sync_options(options));
        *report = acg2vec_sync_report{r.added, r.updated, r.renamed, r.removed, r.unchanged, r.failed, r.model_runs};
    });
}

extern "C" acg2vec_status acg2vec_list_image_files(const char* const* inputs, size_t input_count,
                                                   acg2vec_strings** out) {
    return guard(__func__, [&] {
        begin_out(out);
        *out = new_handle<acg2vec_strings>(acg2vec::list_image_files(string_list(inputs, input_count, "inputs")));
    });
}

extern "C" acg2vec_status acg2vec_index_key(const char* path, const char* root, char** key) {
    return guard(__func__, [&] {
        begin_out(key, "key");
        require(path, "path");
        *key = copy_string(acg2vec::index_key(path, root != nullptr ? root : "."));
    });
}

// ---- Duplicates

extern "C" acg2vec_status acg2vec_find_duplicates(const acg2vec_index* index, const acg2vec_duplicate_options* options,
                                                  acg2vec_duplicates** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(index, "index");
        *out = new_handle<acg2vec_duplicates>(acg2vec::find_duplicates(index->value, duplicate_options(options)));
    });
}

extern "C" acg2vec_status acg2vec_duplicates_count(const acg2vec_duplicates* duplicates, size_t* groups) {
    return guard(__func__, [&] {
        require(duplicates, "duplicates");
        require(groups, "groups");
        *groups = duplicates->value.size();
    });
}

extern "C" acg2vec_status acg2vec_duplicates_group(const acg2vec_duplicates* duplicates, size_t group, int* identical,
                                                   size_t* member_count) {
    return guard(__func__, [&] {
        require(duplicates, "duplicates");
        require(identical, "identical");
        require(member_count, "member_count");
        require_index(group, duplicates->value.size(), "group");
        *identical = duplicates->value[group].identical ? 1 : 0;
        *member_count = duplicates->value[group].members.size();
    });
}

extern "C" acg2vec_status acg2vec_duplicates_member(const acg2vec_duplicates* duplicates, size_t group, size_t member,
                                                    const char** key, const char** content, int* identical,
                                                    const char** nearest, float* score) {
    return guard(__func__, [&] {
        require(duplicates, "duplicates");
        require(key, "key");
        require(content, "content");
        require(identical, "identical");
        require(nearest, "nearest");
        require(score, "score");
        require_index(group, duplicates->value.size(), "group");
        const auto& members = duplicates->value[group].members;
        require_index(member, members.size(), "member");
        const acg2vec::DuplicateMember& m = members[member];
        *key = m.key.c_str();
        *content = m.content.c_str();
        *identical = m.identical ? 1 : 0;
        *nearest = m.nearest.c_str();
        *score = m.score;
    });
}

extern "C" void acg2vec_duplicates_free(acg2vec_duplicates* duplicates) { delete duplicates; }
