//! Numbers are written as Python's `repr` writes them (what pandas writes in
//! CSV files): checked against Python's own output for 3,000 values.

use algoperf_engine::numeric::py_repr;

#[test]
fn py_repr_matches_python() {
    let table = include_str!("../data/python_repr.txt");
    let mut n = 0;
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let (bits, expected) = line.split_once(' ').expect("two fields");
        let x = f64::from_bits(u64::from_str_radix(bits, 16).expect("hex"));
        assert_eq!(py_repr(x), expected, "bits {bits}");
        n += 1;
    }
    assert!(n > 2500);
}
