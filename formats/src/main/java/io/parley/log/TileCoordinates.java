package io.parley.log;

/**
 * Which C2SP tlog-tiles resource: a Merkle tree tile {@code tile/<L>/<N>[.p/<W>]} or an entry bundle
 * {@code tile/entries/<N>[.p/<W>]} (tlog-tiles "Merkle Tree" and "Log entries").
 *
 * <p>A hash tile at level L, index N holds the {@code width} hashes stored at Merkle level {@code 8 * L}, indexes
 * {@code N * 256 ... N * 256 + width - 1}; width 256 is a full tile (no {@code .p/} suffix), 1 to 255 a partial tile.
 * An entry bundle is indexed like the level-0 tile whose leaf hashes its entries hash to, so {@code entries} implies
 * level 0.
 *
 * <p>{@link #parse} accepts exactly the paths {@link #path} produces: N in zero-padded three-digit groups, all but
 * the last prefixed with {@code x} and no superfluous leading {@code x000} group, L in 0..63 and W in 1..255 without
 * leading zeros. Anything else could name the same resource twice, which would defeat caching and filesystem serving.
 */
public record TileCoordinates(int level, long index, int width, boolean entries) {

    /** Tile height: each tile spans 8 Merkle levels. */
    public static final int HEIGHT = 8;
    /** Hashes (or entries) in a full tile: 2^HEIGHT. */
    public static final int FULL_WIDTH = 1 << HEIGHT;
    /** The highest tile level the path syntax allows. */
    public static final int MAX_LEVEL = 63;

    private static final String PREFIX = "tile/";
    private static final String ENTRIES = "entries";
    private static final String PARTIAL = ".p";

    public TileCoordinates {
        if (level < 0 || level > MAX_LEVEL) throw new IllegalArgumentException("tile level must be in 0..63, got " + level);
        if (entries && level != 0) throw new IllegalArgumentException("entry bundles have no level");
        if (index < 0) throw new IllegalArgumentException("tile index must not be negative, got " + index);
        if (width < 1 || width > FULL_WIDTH) {
            throw new IllegalArgumentException("tile width must be in 1..256, got " + width);
        }
    }

    /** The Merkle tile at {@code level}, {@code index} with {@code width} hashes. */
    public static TileCoordinates hashes(int level, long index, int width) {
        return new TileCoordinates(level, index, width, false);
    }

    /** The entry bundle {@code index} with {@code width} entries. */
    public static TileCoordinates entryBundle(long index, int width) {
        return new TileCoordinates(0, index, width, true);
    }

    public boolean isFull() {
        return width == FULL_WIDTH;
    }

    /** The same tile at full width: what a partial tile becomes once the log has grown past it. */
    public TileCoordinates full() {
        return new TileCoordinates(level, index, FULL_WIDTH, entries);
    }

    /** The entry bundle matching this level-0 tile (or this bundle itself). */
    public TileCoordinates asEntryBundle() {
        if (level != 0) throw new IllegalStateException("only level-0 tiles have entry bundles");
        return entryBundle(index, width);
    }

    /** The Merkle level of the hashes in this tile, {@code 8 * level}. */
    public int merkleLevel() {
        return HEIGHT * level;
    }

    /** The stored hash that is hash number {@code i} of this tile. */
    public TreeNode node(int i) {
        if (i < 0 || i >= width) throw new IndexOutOfBoundsException(i);
        return new TreeNode(merkleLevel(), index * FULL_WIDTH + i);
    }

    /**
     * The tile's start index per tlog-tiles, {@code N * 256^(L+1)}: the first log entry it covers. Saturates at
     * {@link Long#MAX_VALUE} for tiles beyond any tree a {@code long} can size.
     */
    public long startIndex() {
        int shift = HEIGHT * (level + 1);
        if (index == 0) return 0;
        if (shift >= 63 || index > (Long.MAX_VALUE >>> shift)) return Long.MAX_VALUE;
        return index << shift;
    }

    /** The path relative to the log prefix, e.g. {@code tile/0/x001/x234/067.p/8}. */
    public String path() {
        StringBuilder sb = new StringBuilder(32).append(PREFIX);
        sb.append(entries ? ENTRIES : Integer.toString(level)).append('/');
        appendIndex(sb, index);
        if (!isFull()) sb.append(PARTIAL).append('/').append(width);
        return sb.toString();
    }

    private static void appendIndex(StringBuilder sb, long n) {
        String digits = Long.toString(n);
        int groups = (digits.length() + 2) / 3;
        String padded = "0".repeat(groups * 3 - digits.length()) + digits;
        for (int g = 0; g < groups; g++) {
            if (g > 0) sb.append('/');
            if (g < groups - 1) sb.append('x');
            sb.append(padded, g * 3, g * 3 + 3);
        }
    }

    /** Parses a path such as {@code tile/1/x002/345.p/17} or {@code tile/entries/000}; strict, see above. */
    public static TileCoordinates parse(String path) throws FormatException {
        if (path == null || !path.startsWith(PREFIX) || path.length() > 128) throw malformed(path);
        String[] parts = path.substring(PREFIX.length()).split("/", -1);
        if (parts.length < 2) throw malformed(path);
        boolean entries = parts[0].equals(ENTRIES);
        int level = entries ? 0 : parseSmall(parts[0], 0, MAX_LEVEL, path);
        int end = parts.length;
        int width = FULL_WIDTH;
        if (parts.length >= 3 && parts[end - 2].endsWith(PARTIAL)) {
            width = parseSmall(parts[end - 1], 1, FULL_WIDTH - 1, path);
            end--;
            parts[end - 1] = parts[end - 1].substring(0, parts[end - 1].length() - PARTIAL.length());
        }
        int groups = end - 1;
        if (groups < 1 || groups > 7) throw malformed(path);
        long index = 0;
        for (int g = 1; g < end; g++) {
            String group = parts[g];
            boolean last = g == end - 1;
            if (!last) {
                if (!group.startsWith("x")) throw malformed(path);
                group = group.substring(1);
            }
            if (group.length() != 3 || !isDigits(group)) throw malformed(path);
            try {
                index = Math.addExact(Math.multiplyExact(index, 1000), Integer.parseInt(group));
            } catch (ArithmeticException e) {
                throw malformed(path);
            }
        }
        TileCoordinates t = new TileCoordinates(level, index, width, entries);
        if (!t.path().equals(path)) throw malformed(path); // e.g. a leading x000 group
        return t;
    }

    private static int parseSmall(String s, int min, int max, String path) throws FormatException {
        if (s.isEmpty() || s.length() > 3 || !isDigits(s) || (s.length() > 1 && s.charAt(0) == '0')) {
            throw malformed(path);
        }
        int v = Integer.parseInt(s);
        if (v < min || v > max) throw malformed(path);
        return v;
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    private static FormatException malformed(String path) {
        String shown = path == null ? "null" : path.length() > 128 ? path.substring(0, 128) + "..." : path;
        return new FormatException("malformed tile path '" + shown + "'");
    }

    @Override
    public String toString() {
        return path();
    }
}
