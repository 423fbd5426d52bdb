// The C# binding against the C library on the fixture models and the shared images.
// Environment: ACG2VEC_TEST_FIXTURES, ACG2VEC_SHARED_DATA, ACG2VEC_TEST_WORK; libacg2vec.so on
// LD_LIBRARY_PATH. Exit code 0 when every test passed; each failure is printed.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Acg2vec;

static class BindingTests
{
    static int failures;
    static string Fixture(string name) { return Path.Combine(Env("ACG2VEC_TEST_FIXTURES"), name); }
    static string Data(string name) { return Path.Combine(Env("ACG2VEC_SHARED_DATA"), name); }
    static string Work(string name)
    {
        Directory.CreateDirectory(Env("ACG2VEC_TEST_WORK"));
        return Path.Combine(Env("ACG2VEC_TEST_WORK"), name);
    }
    static string Env(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(value)) throw new InvalidOperationException("set " + name);
        return value;
    }

    static void Expect(bool condition, string what)
    {
        if (condition) return;
        ++failures;
        Console.WriteLine("FAIL: " + what);
    }

    // The exception a call throws, or null.
    static Acg2vecException Thrown(Action call)
    {
        try { call(); }
        catch (Acg2vecException e) { return e; }
        return null;
    }

    static void TagsAndBatches()
    {
        Tagger tagger;
        using (var model = Model.Open(Fixture("wd_table_fixture.pt")))
            tagger = Tagger.Create(model, new TagOptions { MaxGeneral = 3, Spaces = true });  // keeps the model
        using (tagger)
        {
            string hr = Data("images/anime4k_knnw_hr_256x256.png");
            var tags = tagger.Tag(hr);
            Expect(tags.Ratings.Count == 4 && tags.Rating == tags.Ratings[0].Key, "ratings, most probable first");
            Expect(tags.General.Count == 3 && tags.General.All(t => !t.Key.Contains("_")), "max 3 tags, spaces");
            Expect(tagger.Tag(Input.Memory(File.ReadAllBytes(hr))).Caption() == tags.Caption(), "bytes = file");
            var batch = tagger.TagBatch(new[] { Input.File(hr), Input.File(Data("tricky/broken.png")),
                                                Input.Memory(new byte[] { 1, 2, 3 }) });
            Expect(batch[0].Ok && batch[0].Result.Caption() == tags.Caption(), "batch item 0");
            Expect(!batch[1].Ok && batch[1].Error.Status == Status.InvalidImage &&
                   batch[1].Error.Message.Contains("broken.png"), "broken image fails alone: " + batch[1].Error);
            Expect(batch[2].Input == "batch[2]" && batch[2].Error.Code == "unsupported_format", "junk bytes");
        }
        Expect(tagger.IsClosed, "disposed");
        Expect(Thrown(() => { try { tagger.Tag("x.png"); } catch (ObjectDisposedException) { throw new Acg2vecException(Status.Internal, "disposed"); } })?.Message == "disposed",
               "a disposed tagger refuses calls");
    }

    static void OpenErrors()
    {
        var missing = Thrown(() => Model.Open(Work("missing.pt")));
        Expect(missing != null && missing.Status == Status.ModelLoad && missing.Message.Contains("missing.pt"),
               "missing model: " + missing);
        var threads = Thrown(() => Model.Open(Fixture("classifier_fixture.pt"), new ModelOptions { Threads = 5000 }));
        Expect(threads != null && threads.Status == Status.InvalidArgument, "threads 5000: " + threads);
        using (var model = Model.Open(Fixture("classifier_fixture.pt")))
        {
            var wrong = Thrown(() => Tagger.Create(model));
            Expect(wrong != null && wrong.Message.Contains("this is a scorer model"), "wrong task: " + wrong);
        }
    }

    static void Scores()
    {
        using (var model = Model.Open(Fixture("pix2score_fixture.pt")))
        using (var scorer = Scorer.Create(model))
        {
            var heads = scorer.Score(Data("images/anime4k_knnw_hr_256x256.png"));
            Expect(heads.Count == 3 && heads[1].Name == "view" && heads[1].Best.Label == "500-1000", "heads");
            Expect(heads[1].ExpectedValue.HasValue && Math.Abs(heads[1].ExpectedValue.Value - 875.0) < 1e-3,
                   "expected value");
            var batch = scorer.ScoreBatch(new[] { Input.File(Data("tricky/broken.png")) });
            Expect(batch[0].Error.Status == Status.InvalidImage, "broken image in a score batch");
        }
    }

    static void EmbedIndexSearch()
    {
        Embedder embedder;
        using (var model = Model.Open(Fixture("two_tower_fixture.pt"))) embedder = Embedder.Create(model);
        using (embedder)
        {
            Input hr = Data("images/anime4k_knnw_hr_256x256.png");
            var vector = embedder.Embed(hr);
            Expect(vector.Length == 4 && embedder.Dimensions == 4, "4-d vectors");
            Expect(embedder.EmbedTexts(new[] { "a cat", "a dog" })[0].SequenceEqual(embedder.EmbedText("a cat")),
                   "texts batch = one text");
            Expect(embedder.Compare(hr, hr).Score > 99.999, "an image is its own twin");
            Expect(!embedder.EmbedBatch(new[] { hr, Input.File(Data("tricky/broken.png")) })[1].Ok, "broken embed");
            var options = new IndexOptions(embedder);
            using (var index = VectorIndex.Create(options))
            {
                index.Add("hr", vector, "side:a", "名前:日本");
                Expect(Thrown(() => index.Add("hr", vector))?.Status == Status.InvalidArgument, "duplicate key");
                var shortVector = Thrown(() => index.Add("short", new float[] { 1, 2 }));
                Expect(shortVector != null && shortVector.Message.Contains("dimension"), "short vector");
                Expect(index.Search(vector, 2)[0].Key == "hr", "search");
                Expect(index.Search(vector, 2, "side:b").Count == 0, "category filter");
                Expect(index.Search(vector, 2, "名前:日本").Count == 1, "UTF-8 category");
                Expect(index.Categories("hr").Contains("名前:日本"), "UTF-8 category read back");
                Expect(Thrown(() => index.Get("absent"))?.Status == Status.NotFound, "absent key");
                index.Save(Work("csharp.idx"));
            }
            using (var loaded = VectorIndex.Load(Work("csharp.idx"), options))
                Expect(loaded.Count == 1 && loaded.Keys()[0] == "hr" && loaded.Contains("hr"), "loaded index");
            File.WriteAllText(Work("bad.idx"), "not an index");
            Expect(Thrown(() => VectorIndex.Load(Work("bad.idx"), options))?.Status == Status.IndexFormat, "corrupt index");
        }
    }

    static void TokenizersAndFiles()
    {
        using (var clip = ClipTokenizer.Open(Data("clip/bpe_simple_vocab_16e6.txt.gz")))
        {
            Expect(clip.Tokenize("1girl, long_hair").Take(9).SequenceEqual(
                       new long[] { 49406, 272, 1611, 267, 1538, 318, 2225, 49407, 0 }), "CLIP ids");
            Expect(clip.Pieces("日本").Count > 0, "a non-ASCII text reaches the tokenizer");
        }
        using (var bert = WordPieceTokenizer.Open(Data("bert/bert-base-uncased-vocab.txt")))
        {
            Expect(string.Join(" ", bert.Tokenize("Hello World")) == "hello world", "WordPiece pieces");
            Expect(bert.Encode("Hello")[0] == bert.TokenId("[CLS]"), "[CLS] first");
            Expect(Thrown(() => bert.TokenId("no-such-token-here"))?.Status == Status.NotFound, "missing token");
        }
        Expect(Thrown(() => ClipTokenizer.Open(Work("none.txt.gz")))?.Status == Status.IO, "missing vocabulary");
        Expect(Library.ListImageFiles(Data("images")).Count == 20, "20 sample images");
        Expect(Library.Version.Split('.').Length == 3, "version");
    }

    static long RssKiB()
    {
        var line = File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("VmRSS:"));
        return long.Parse(line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    // Thousands of open / score / free cycles keep memory flat, with Dispose and with finalizers.
    static void NoLeaks()
    {
        Input image = Data("images/mangaocr_01_188x251.jpg");
        Action<int, bool> cycle = (n, dispose) =>
        {
            for (int i = 0; i < n; ++i)
            {
                var model = Model.Open(Fixture("classifier_fixture.pt"));
                var scorer = Scorer.Create(model);
                scorer.Score(image);
                scorer.ScoreBatch(new[] { image, Input.Memory(new byte[] { 1 }) });
                if (dispose)
                {
                    scorer.Dispose();
                    model.Dispose();
                }
                else if (i % 50 == 49)
                {
                    GC.Collect();  // the collector does not see C memory: without Dispose, collect now and then
                    GC.WaitForPendingFinalizers();
                }
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
        };
        foreach (var dispose in new[] { true, false })
        {
            cycle(300, dispose);
            long before = RssKiB();
            cycle(1500, dispose);
            long grown = RssKiB() - before;
            Console.WriteLine("1500 scorer cycles ({0}): RSS grew {1} KiB", dispose ? "Dispose" : "finalizers", grown);
            Expect(grown < 8 * 1024, "RSS grew by " + grown + " KiB");
        }
    }

    static int Main()
    {
        var tests = new Dictionary<string, Action> {
            { "TagsAndBatches", TagsAndBatches }, { "OpenErrors", OpenErrors }, { "Scores", Scores },
            { "EmbedIndexSearch", EmbedIndexSearch }, { "TokenizersAndFiles", TokenizersAndFiles }, { "NoLeaks", NoLeaks },
        };
        foreach (var test in tests)
        {
            int before = failures;
            try { test.Value(); }
            catch (Exception e)
            {
                ++failures;
                Console.WriteLine("FAIL: " + test.Key + " threw " + e);
            }
            Console.WriteLine((failures == before ? "ok    " : "FAILED ") + test.Key);
        }
        Console.WriteLine(failures == 0 ? "all C# binding tests passed" : failures + " checks failed");
        return failures == 0 ? 0 : 1;
    }
}
