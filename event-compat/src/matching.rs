//! Maximum bipartite matching (Kuhn's augmenting paths): pairs each subschema of a
//! combination in one schema with a compatible subschema in the other.

/// A maximum set of `(left, right)` pairs from `edges`, each side used at most once.
pub(crate) fn maximum_matching(
    left: usize,
    right: usize,
    edges: &[(usize, usize)],
) -> Vec<(usize, usize)> {
    let mut adjacency = vec![Vec::new(); left];
    for &(l, r) in edges {
        if l < left && r < right {
            adjacency[l].push(r);
        }
    }
    let mut matched_right: Vec<Option<usize>> = vec![None; right];
    for l in 0..left {
        let mut seen = vec![false; right];
        augment(l, &adjacency, &mut seen, &mut matched_right);
    }
    let mut pairs: Vec<(usize, usize)> = matched_right
        .iter()
        .enumerate()
        .filter_map(|(r, l)| l.map(|l| (l, r)))
        .collect();
    pairs.sort_unstable();
    pairs
}

fn augment(
    l: usize,
    adjacency: &[Vec<usize>],
    seen: &mut [bool],
    matched_right: &mut [Option<usize>],
) -> bool {
    for &r in &adjacency[l] {
        if seen[r] {
            continue;
        }
        seen[r] = true;
        let free = match matched_right[r] {
            None => true,
            Some(other) => augment(other, adjacency, seen, matched_right),
        };
        if free {
            matched_right[r] = Some(l);
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_perfect_matching_through_an_augmenting_path() {
        // 0 can take 0 or 1, 1 can take only 0: the greedy choice 0-0 must be undone.
        let pairs = maximum_matching(2, 2, &[(0, 0), (0, 1), (1, 0)]);
        assert_eq!(pairs, vec![(0, 1), (1, 0)]);
        assert_eq!(maximum_matching(2, 1, &[(0, 0), (1, 0)]).len(), 1);
        assert!(maximum_matching(1, 1, &[]).is_empty());
    }
}
