/* jpeg_decode_tf IN.jpg OUT.ppm: decodes a JPEG with libjpeg the way TensorFlow's decode_png /
 * decode_jpeg ops do by default (fast integer inverse DCT, fancy upsampling, RGB out) and writes
 * a binary PPM. The reference decoder of tools/import/tests/test_import_deepdanbooru.py:
 * Pillow cannot choose libjpeg's DCT, and TensorFlow is not installed here. */
#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h>

int main(int argc, char** argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: jpeg_decode_tf IN.jpg OUT.ppm\n");
        return 2;
    }
    FILE* in = fopen(argv[1], "rb");
    if (in == NULL) {
        perror(argv[1]);
        return 1;
    }
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr errors;
    cinfo.err = jpeg_std_error(&errors); /* a broken file exits with libjpeg's message */
    jpeg_create_decompress(&cinfo);
    jpeg_stdio_src(&cinfo, in);
    jpeg_read_header(&cinfo, TRUE);
    cinfo.out_color_space = JCS_RGB;
    cinfo.dct_method = JDCT_IFAST;
    cinfo.do_fancy_upsampling = TRUE;
    jpeg_start_decompress(&cinfo);
    const size_t row_bytes = (size_t)cinfo.output_width * 3;
    unsigned char* row = malloc(row_bytes);
    FILE* out = fopen(argv[2], "wb");
    if (row == NULL || out == NULL) {
        perror(argv[2]);
        return 1;
    }
    fprintf(out, "P6\n%u %u\n255\n", cinfo.output_width, cinfo.output_height);
    while (cinfo.output_scanline < cinfo.output_height) {
        jpeg_read_scanlines(&cinfo, &row, 1);
        fwrite(row, 1, row_bytes, out);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    free(row);
    fclose(in);
    return fclose(out) == 0 ? 0 : 1;
}
