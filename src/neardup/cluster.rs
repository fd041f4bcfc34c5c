//! Clusters of near-duplicate documents: connected components of the verified pairs.

use serde::{Deserialize, Serialize};

/// Disjoint-set forest with path halving and union by size.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    /// `n` singleton sets `0..n`.
    pub fn new(n: usize) -> Self {
        UnionFind { parent: (0..n as u32).collect(), size: vec![1; n] }
    }

    /// Representative of the set holding `x`.
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    /// Merges the sets of `a` and `b`.
    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        let (big, small) = if self.size[ra as usize] >= self.size[rb as usize] { (ra, rb) } else { (rb, ra) };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
    }
}

/// A group of documents connected by verified near-duplicate pairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cluster {
    /// Stable id: clusters are numbered from 0 in the input order of their first member.
    pub id: u32,
    /// Document indices, ascending.
    pub members: Vec<u32>,
}

/// Connected components (of two or more documents) of `n` documents joined by `edges`. The ids
/// depend only on the input order of the documents, never on the order of `edges`.
pub fn clusters(n: usize, edges: impl IntoIterator<Item = (u32, u32)>) -> Vec<Cluster> {
    let mut uf = UnionFind::new(n);
    for (a, b) in edges {
        uf.union(a, b);
    }
    let mut by_root: Vec<Vec<u32>> = vec![Vec::new(); n];
    for d in 0..n as u32 {
        let r = uf.find(d);
        by_root[r as usize].push(d);
    }
    let mut groups: Vec<Vec<u32>> = by_root.into_iter().filter(|m| m.len() > 1).collect();
    groups.sort_by_key(|m| m[0]);
    groups.into_iter().enumerate().map(|(id, members)| Cluster { id: id as u32, members }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_with_stable_ids() {
        let c = clusters(7, [(5, 6), (0, 2), (2, 4)]);
        assert_eq!(c, vec![Cluster { id: 0, members: vec![0, 2, 4] }, Cluster { id: 1, members: vec![5, 6] }]);
        let reversed = clusters(7, [(4, 2), (6, 5), (2, 0)]);
        assert_eq!(c, reversed);
    }

    #[test]
    fn no_edges_no_clusters() {
        assert!(clusters(3, []).is_empty());
        assert!(clusters(0, []).is_empty());
    }
}
