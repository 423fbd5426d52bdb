// Image inputs: a file, encoded bytes, or base64 text / a data URL.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Acg2vec
{
    public sealed class Input
    {
        internal readonly int Source;
        internal readonly byte[] Bytes;  // the path or text with a NUL, or the encoded image

        Input(int source, byte[] bytes) { Source = source; Bytes = bytes; }

        static byte[] Text(string text) { return Encoding.UTF8.GetBytes(text + "\0"); }

        public static Input File(string path) { return new Input(Native.ACG2VEC_IMAGE_FILE, Text(path)); }
        public static Input Memory(byte[] data) { return new Input(Native.ACG2VEC_IMAGE_MEMORY, data); }
        public static Input Base64(string text) { return new Input(Native.ACG2VEC_IMAGE_BASE64, Text(text)); }

        public static implicit operator Input(string path) { return File(path); }
    }

    // acg2vec_image_input structs for one call, with their bytes pinned until Dispose.
    internal sealed class PinnedInputs : IDisposable
    {
        readonly List<GCHandle> pins = new List<GCHandle>();
        internal readonly acg2vec_image_input[] Inputs;  // at least one, so Inputs[0] can be passed
        readonly int count;

        internal PinnedInputs(IList<Input> images)
        {
            count = images.Count;
            Inputs = new acg2vec_image_input[Math.Max(1, images.Count)];
            for (int i = 0; i < images.Count; ++i)
            {
                var pin = GCHandle.Alloc(images[i].Bytes, GCHandleType.Pinned);
                pins.Add(pin);
                Inputs[i].source = images[i].Source;
                if (images[i].Source == Native.ACG2VEC_IMAGE_MEMORY)
                {
                    Inputs[i].data = pin.AddrOfPinnedObject();
                    Inputs[i].size = new UIntPtr((ulong)images[i].Bytes.Length);
                }
                else
                {
                    Inputs[i].text = pin.AddrOfPinnedObject();
                }
            }
        }

        internal UIntPtr Count { get { return new UIntPtr((ulong)count); } }

        public void Dispose()
        {
            foreach (var pin in pins) pin.Free();
        }
    }
}
