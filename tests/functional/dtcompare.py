#!/usr/bin/env python3
"""Compare two flattened device trees structurally.

Usage: dtcompare.py [--board] OURS.dtb THEIRS.dtb

The trees are read from the DTB blobs (the same content `dtc -I dtb -O dts`
prints) and normalised before comparison:
  * phandle numbers are replaced by the path of the node they name, in
    phandle, interrupt-parent, interrupts-extended, interrupt-map, regmap
    and cpu properties;
  * the value of /chosen/rng-seed is random: only its length is compared;
  * children of /soc are compared in name order (QEMU's creation order is
    not part of the contract); everywhere else node order must match;
  * property order inside a node is ignored.
With --board, the nodes the Machina virt board documents as absent (PCIe,
fw_cfg, flash, platform bus) are dropped from both trees first.
Exit status 0 when equal; otherwise a unified diff is printed and 1.
"""
import difflib
import struct
import sys

FDT_MAGIC = 0xD00DFEED
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9

BOARD_OMITTED = {"/fw-cfg@10100000", "/flash@20000000",
                 "/platform-bus@4000000", "/soc/pci@30000000"}
STRING_PROPS = {"compatible", "model", "device_type", "status", "riscv,isa",
                "mmu-type", "stdout-path", "bootargs"}
# Properties made only of phandles.
PHANDLE_PROPS = {"interrupt-parent", "regmap", "cpu"}


class Node:
    def __init__(self, name):
        self.name = name
        self.props = {}
        self.children = []


def parse_dtb(blob):
    (magic, _total, off_struct, off_strings, _rsv, _ver, _lc, _boot,
     size_strings, size_struct) = struct.unpack_from(">10I", blob, 0)
    if magic != FDT_MAGIC:
        raise SystemExit("not a DTB")
    strings = blob[off_strings:off_strings + size_strings]
    pos, end = off_struct, off_struct + size_struct
    stack, root = [], None
    while pos < end:
        (tok,) = struct.unpack_from(">I", blob, pos)
        pos += 4
        if tok == FDT_BEGIN_NODE:
            nul = blob.index(b"\0", pos)
            node = Node(blob[pos:nul].decode())
            pos = (nul + 4) & ~3
            if stack:
                stack[-1].children.append(node)
            else:
                root = node
            stack.append(node)
        elif tok == FDT_END_NODE:
            stack.pop()
        elif tok == FDT_PROP:
            length, nameoff = struct.unpack_from(">II", blob, pos)
            pos += 8
            name = strings[nameoff:strings.index(b"\0", nameoff)].decode()
            stack[-1].props[name] = blob[pos:pos + length]
            pos = (pos + length + 3) & ~3
        elif tok == FDT_END:
            break
        elif tok != FDT_NOP:
            raise SystemExit("bad token %d" % tok)
    return root


def walk(node, path, fn):
    fn(node, path)
    for child in node.children:
        walk(child, (path.rstrip("/") + "/" + child.name), fn)


def cells(value):
    return list(struct.unpack(">%dI" % (len(value) // 4), value))


def phandle_map(root):
    table = {}

    def visit(node, path):
        if "phandle" in node.props:
            table[cells(node.props["phandle"])[0]] = path
    walk(root, "/", visit)
    return table


def fmt_prop(name, value, phandles):
    ref = lambda p: "&" + phandles.get(p, "?%#x" % p)
    if name == "phandle":
        return "<phandle>"
    if name == "rng-seed":
        return "<%d random bytes>" % len(value)
    if name in STRING_PROPS:
        return repr(value.split(b"\0")[:-1])
    if len(value) % 4:
        return value.hex()
    c = cells(value)
    if name in PHANDLE_PROPS:
        return " ".join(ref(x) for x in c)
    if name == "interrupts-extended":
        return " ".join("%s %#x" % (ref(c[i]), c[i + 1])
                        for i in range(0, len(c), 2))
    if name == "interrupt-map":
        return " ".join("<%s %s %#x>" % (" ".join("%#x" % x for x in
                                                   c[i:i + 4]),
                                         ref(c[i + 4]), c[i + 5])
                        for i in range(0, len(c), 6))
    return " ".join("%#x" % x for x in c)


def normalise(root, board):
    phandles = phandle_map(root)
    lines = []

    def visit(node, path):
        lines.append(path + " {")
        for name in sorted(node.props):
            lines.append("  %s = %s" % (name, fmt_prop(name, node.props[name],
                                                        phandles)))
        kids = [c for c in node.children
                if not (board and path.rstrip("/") + "/" + c.name
                        in BOARD_OMITTED)]
        if path == "/soc":
            kids.sort(key=lambda c: c.name)
        lines.append("  children: " + " ".join(c.name for c in kids))
        for child in kids:
            visit(child, path.rstrip("/") + "/" + child.name)
    visit(root, "/")
    return lines


def main(argv):
    board = "--board" in argv
    files = [a for a in argv[1:] if a != "--board"]
    if len(files) != 2:
        raise SystemExit(__doc__)
    trees = []
    for f in files:
        with open(f, "rb") as fh:
            trees.append(normalise(parse_dtb(fh.read()), board))
    if trees[0] == trees[1]:
        return 0
    sys.stdout.writelines(l + "\n" for l in difflib.unified_diff(
        trees[1], trees[0], files[1], files[0], lineterm=""))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
