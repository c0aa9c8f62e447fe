// Deterministic 8-dimensional unit vectors derived from the input text, so equal inputs embed equally.
package dev.tollgate.mock;

import java.util.SplittableRandom;

final class Embeddings {
    static final int DIMENSIONS = 8;

    private Embeddings() {}

    static StringBuilder vector(StringBuilder sb, String text) {
        SplittableRandom rnd = new SplittableRandom(text.hashCode() * 0x9E3779B97F4A7C15L);
        double[] v = new double[DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < DIMENSIONS; i++) {
            v[i] = rnd.nextDouble() * 2 - 1;
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        sb.append('[');
        for (int i = 0; i < DIMENSIONS; i++) {
            if (i > 0) sb.append(',');
            sb.append((float) (v[i] / norm));
        }
        return sb.append(']');
    }
}
