using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SpecializedConv.Generators.Model;

/// <summary>
/// Where a diagnostic goes, as plain data: a <see cref="Location"/> holds its syntax tree and would pin the whole
/// compilation in the incremental cache.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>
    /// The location in <paramref name="compilation"/>'s syntax tree of that path, so that <c>#pragma warning disable</c>
    /// and the IDE see a source location; a location by path when the tree is gone.
    /// </summary>
    public Location ToLocation(Compilation? compilation = null)
    {
        foreach (SyntaxTree tree in compilation?.SyntaxTrees ?? [])
        {
            if (tree.FilePath == FilePath && Span.End <= tree.Length)
            {
                return Location.Create(tree, Span);
            }
        }

        return Location.Create(FilePath, Span, LineSpan);
    }

    public static LocationInfo? From(Location? location) =>
        location?.SourceTree is null ? null : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}
